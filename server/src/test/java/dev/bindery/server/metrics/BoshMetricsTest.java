package dev.bindery.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.xmpp.Stanza;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoshMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final BoshMetrics metrics = new BoshMetrics(() -> 3, 100);

  BoshMetricsTest() {
    metrics.bindTo(registry);
  }

  @Test
  void requestsAreCountedByOutcomeAndCondition() {
    metrics.requestHeld();
    metrics.requestHeld();
    metrics.requestHeld();
    metrics.requestAnswered(Body.empty(), 200, 40);
    metrics.requestAnswered(Body.builder().terminate(BindingCondition.ITEM_NOT_FOUND).build(),
        200, 80);
    metrics.requestAnswered(null, 403, 0);

    assertThat(registry.get(BoshMetrics.REQUESTS).tags("outcome", "ok", "condition", "none")
        .counter().count()).isEqualTo(1);
    assertThat(registry.get(BoshMetrics.REQUESTS)
        .tags("outcome", "terminate", "condition", "item-not-found").counter().count())
        .isEqualTo(1);
    assertThat(registry.get(BoshMetrics.REQUESTS).tags("outcome", "http_error").counter().count())
        .isEqualTo(1);
    assertThat(registry.get(BoshMetrics.REQUESTS_HELD).gauge().value()).isZero();
    assertThat(registry.get(BoshMetrics.RESPONSE_SIZE).summary().totalAmount()).isEqualTo(120);
  }

  @Test
  void requestsAreCountedByHttpVersion() {
    metrics.requestProtocol("HTTP/1.1");
    metrics.requestProtocol("HTTP/2.0");
    metrics.requestProtocol("HTTP/2.0");
    metrics.requestProtocol("HTTP/1.0");

    assertThat(registry.get(BoshMetrics.HTTP_REQUESTS).tags("protocol", "HTTP/1.1").counter()
        .count()).isEqualTo(1);
    assertThat(registry.get(BoshMetrics.HTTP_REQUESTS).tags("protocol", "HTTP/2.0").counter()
        .count()).isEqualTo(2);
    assertThat(registry.get(BoshMetrics.HTTP_REQUESTS).tags("protocol", "HTTP/1.0").counter()
        .count()).isEqualTo(1);
  }

  @Test
  void relayedBytesAreUtf8AndBufferedBytesReturnToZero() {
    List<Stanza> stanzas = List.of(new Stanza("jabber:client", "message", "<m>é€😀</m>"));
    assertThat(BoshMetrics.utf8Length(stanzas)).isEqualTo(7 + 2 + 3 + 4);

    long bytes = metrics.receivedFromServer(stanzas);
    assertThat(registry.get(BoshMetrics.BUFFERED).gauge().value()).isEqualTo(16);
    metrics.unbuffered(metrics.relayedToClient(stanzas, System.nanoTime()));

    assertThat(bytes).isEqualTo(16);
    assertThat(registry.get(BoshMetrics.BUFFERED).gauge().value()).isZero();
    assertThat(registry.get(BoshMetrics.BYTES_RELAYED).tag("direction", "server_to_client")
        .tag(BoshMetrics.TRANSPORT, BoshMetrics.BOSH)
        .counter().count()).isEqualTo(16);
    assertThat(registry.get(BoshMetrics.RELAY_LATENCY).tag("direction", "server_to_client")
        .timer().count()).isEqualTo(1);
  }

  @Test
  void connectFailuresAreTaggedByAFixedSetOfReasons() {
    assertThat(BoshMetrics.failureReason(new ConnectException("refused"))).isEqualTo("refused");
    assertThat(BoshMetrics.failureReason(new ConnectTimeoutException("slow")))
        .isEqualTo("timeout");
    assertThat(BoshMetrics.failureReason(new UnknownHostException("x"))).isEqualTo("unresolved");
    assertThat(BoshMetrics.failureReason(new IllegalStateException())).isEqualTo("other");
  }

  @Test
  void sessionsEndedAreCountedByCondition() {
    metrics.sessionCreated();
    metrics.sessionEnded(null);
    metrics.sessionEnded(BindingCondition.SYSTEM_SHUTDOWN);

    assertThat(registry.get(BoshMetrics.SESSIONS_ENDED).tag("condition", "none").counter().count())
        .isEqualTo(1);
    assertThat(registry.get(BoshMetrics.SESSIONS_ENDED).tag("condition", "system-shutdown")
        .counter().count()).isEqualTo(1);
    assertThat(registry.get(BoshMetrics.SESSIONS_ACTIVE).tag(BoshMetrics.TRANSPORT, BoshMetrics.BOSH)
        .gauge().value()).isEqualTo(3);
  }

  @Test
  void everyMeterHasADescription() {
    metrics.sessionEnded(null);
    metrics.sessionRefused("draining", BoshMetrics.BOSH);
    metrics.upstreamConnectFailed(new ConnectException());
    metrics.requestHeld();
    metrics.requestAnswered(Body.empty(), 200, 0);
    registry.getMeters().stream()
        .filter(m -> !m.getId().getName().endsWith(".histogram")) // the registry's own SLO view
        .forEach(m -> assertThat(m.getId().getDescription()).as(m.getId().getName())
            .isNotBlank());
  }
}
