package dev.bindery.server.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bindery.server.Bindery;
import dev.bindery.server.config.ServerConfig;
import java.util.List;

/** The roster scenario through Bindery to ejabberd, with both sides of Bindery recorded. */
class SmackRosterThroughBinderyEjabberdIT extends SmackRosterScenario {

  @Override
  protected Target start(Closer closer) throws Exception {
    assumeTrue(onPath("ejabberdctl"), "ejabberd is not installed");
    EjabberdServer ejabberd = closer.register(EjabberdServer.start(DOMAIN));
    UpstreamTap upstream = closer.register(UpstreamTap.start(ejabberd.host(), ejabberd.c2sPort()));
    Bindery bindery = closer.register(Bindery.start(ServerConfig.builder().port(0)
        .upstream(upstream.host(), upstream.port())
        .domains(List.of(ejabberd.domain())).build()));
    BoshTap bosh = closer.register(BoshTap.start(bindery.endpoint()));
    return new Target(ejabberd, bosh, upstream);
  }
}
