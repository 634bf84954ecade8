package dev.bindery.server.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bindery.server.Bindery;
import dev.bindery.server.config.ServerConfig;
import java.util.List;

/** The roster scenario through Bindery to Prosody, with both sides of Bindery recorded. */
class SmackRosterThroughBinderyProsodyIT extends SmackRosterScenario {

  @Override
  protected Target start(Closer closer) throws Exception {
    assumeTrue(onPath("prosody"), "Prosody is not installed");
    ProsodyServer prosody = closer.register(ProsodyServer.start(DOMAIN));
    UpstreamTap upstream = closer.register(UpstreamTap.start(prosody.host(), prosody.c2sPort()));
    Bindery bindery = closer.register(Bindery.start(ServerConfig.builder().port(0)
        .upstream(upstream.host(), upstream.port())
        .domains(List.of(prosody.domain())).build()));
    BoshTap bosh = closer.register(BoshTap.start(bindery.endpoint()));
    return new Target(prosody, bosh, upstream);
  }
}
