package dev.bindery.server.it;

/**
 * The chat scenario through Prosody's own mod_bosh: checks the fixtures and the Smack client
 * against a known-good connection manager.
 */
class ProsodyNativeBoshIT extends ChatScenario {

  @Override
  protected Target start(Closer closer) throws Exception {
    ProsodyServer prosody = closer.register(ProsodyServer.startWithNativeBosh(DOMAIN));
    return new Target(prosody, prosody.boshUrl());
  }

  /** The server's own BOSH: Bindery sends no bodies here. */
  @Override
  protected boolean bodiesFromBindery() {
    return false;
  }
}
