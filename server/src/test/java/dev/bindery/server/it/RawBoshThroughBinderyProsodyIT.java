package dev.bindery.server.it;

import dev.bindery.server.Bindery;
import dev.bindery.server.config.ServerConfig;
import java.util.List;

/** The raw BOSH scenario through Bindery, relaying to Prosody's client-to-server port. */
class RawBoshThroughBinderyProsodyIT extends RawBoshScenario {

  @Override
  protected ChatScenario.Target start(Closer closer) throws Exception {
    ProsodyServer prosody = closer.register(ProsodyServer.start(DOMAIN));
    Bindery bindery = closer.register(Bindery.start(ServerConfig.builder().port(0)
        .upstream(prosody.host(), prosody.c2sPort())
        .domains(List.of(prosody.domain())).build()));
    return new ChatScenario.Target(prosody, bindery.endpoint());
  }
}
