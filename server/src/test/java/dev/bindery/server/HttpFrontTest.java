package dev.bindery.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.server.config.ServerConfig;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.junit.jupiter.api.Test;

/**
 * The handler chain in front of the BOSH servlet (WebSocket upgrade, host-meta) stays
 * non-blocking, so Jetty keeps running each BOSH request on the selector that read it (see
 * {@code NonBlockingServletContext}); one blocking handler anywhere in the chain would move every
 * request to a pool thread.
 */
class HttpFrontTest {

  @Test
  void theDefaultChainIsNonBlocking() throws Exception {
    try (Bindery bindery = Bindery.start(ServerConfig.builder().port(0).build())) {
      assertThat(bindery.http().jetty().getHandler().getInvocationType())
          .isEqualTo(InvocationType.NON_BLOCKING);
    }
  }
}
