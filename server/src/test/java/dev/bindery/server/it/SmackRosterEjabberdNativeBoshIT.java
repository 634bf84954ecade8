package dev.bindery.server.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The roster scenario through ejabberd's own mod_bosh, without Bindery: how often the roster
 * entry falls short of {@code both} when Bindery is not involved. Only the client side is
 * recorded; nothing is asserted about delivery.
 */
class SmackRosterEjabberdNativeBoshIT extends SmackRosterScenario {

  @Override
  protected Target start(Closer closer) throws Exception {
    assumeTrue(onPath("ejabberdctl"), "ejabberd is not installed");
    EjabberdServer ejabberd = closer.register(EjabberdServer.startWithNativeBosh(DOMAIN));
    BoshTap bosh = closer.register(BoshTap.start(ejabberd.boshUrl()));
    return new Target(ejabberd, bosh, null);
  }
}
