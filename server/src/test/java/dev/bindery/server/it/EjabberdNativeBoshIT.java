package dev.bindery.server.it;

/**
 * The chat scenario through ejabberd's own mod_bosh: checks the fixtures and the Smack client
 * against a known-good connection manager.
 */
class EjabberdNativeBoshIT extends ChatScenario {

  @Override
  protected Target start(Closer closer) throws Exception {
    EjabberdServer ejabberd = closer.register(EjabberdServer.startWithNativeBosh(DOMAIN));
    return new Target(ejabberd, ejabberd.boshUrl());
  }

  /** The server's own BOSH: Bindery sends no bodies here. */
  @Override
  protected boolean bodiesFromBindery() {
    return false;
  }
}
