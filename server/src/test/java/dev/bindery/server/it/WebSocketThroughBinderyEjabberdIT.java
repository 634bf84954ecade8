package dev.bindery.server.it;

/** The WebSocket scenario through Bindery to ejabberd's client-to-server port. */
class WebSocketThroughBinderyEjabberdIT extends WebSocketScenario {

  @Override
  XmppServer startServer() throws Exception {
    return EjabberdServer.start(DOMAIN);
  }
}
