package dev.bindery.server.it;

/** The WebSocket scenario through Bindery to Prosody's client-to-server port. */
class WebSocketThroughBinderyProsodyIT extends WebSocketScenario {

  @Override
  XmppServer startServer() throws Exception {
    return ProsodyServer.start(DOMAIN);
  }
}
