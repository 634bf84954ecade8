package dev.bindery.server.it;

import dev.bindery.server.Bindery;
import dev.bindery.server.config.ServerConfig;
import java.util.List;

/** The chat scenario through Bindery, relaying to ejabberd's client-to-server port. */
class ChatThroughBinderyEjabberdIT extends ChatScenario {

  @Override
  protected Target start(Closer closer) throws Exception {
    EjabberdServer ejabberd = closer.register(EjabberdServer.start(DOMAIN));
    Bindery bindery = closer.register(Bindery.start(ServerConfig.builder().port(0)
        .upstream(ejabberd.host(), ejabberd.c2sPort())
        .domains(List.of(ejabberd.domain())).build()));
    return new Target(ejabberd, bindery.endpoint());
  }
}
