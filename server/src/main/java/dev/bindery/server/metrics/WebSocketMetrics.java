package dev.bindery.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Thread-safe. The meters only XMPP over WebSocket has: close codes and refused upgrades. What
 * both transports have (live, started and ended sessions, refusals by the limits, relayed
 * elements and bytes) is in {@link BoshMetrics}, tagged {@code transport=websocket}.
 */
public final class WebSocketMetrics implements MeterBinder {

  public static final String CLOSES = "websocket.closes";
  public static final String UPGRADES_REFUSED = "websocket.upgrades.refused";

  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  private volatile MeterRegistry registry = new CompositeMeterRegistry(); // no-op until bound

  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    this.registry = registry;
    counters.clear();
  }

  /** A WebSocket connection closed with this status code (RFC 6455 §7.4). */
  public void closed(int statusCode) {
    counter(CLOSES, "code", Integer.toString(statusCode),
        "WebSocket connections closed, by close status code").increment();
  }

  /**
   * An upgrade was refused before any XMPP: {@code subprotocol} (no {@code xmpp}), {@code
   * origin} (not allowed) or {@code draining} (nowhere to send the client).
   */
  public void upgradeRefused(String reason) {
    counter(UPGRADES_REFUSED, "reason", reason, "WebSocket upgrades refused, by reason")
        .increment();
  }

  private Counter counter(String name, String tag, String value, String description) {
    MeterRegistry r = registry;
    return counters.computeIfAbsent(name + '\0' + value, k -> Counter.builder(name)
        .tag(tag, value).description(description).register(r));
  }
}
