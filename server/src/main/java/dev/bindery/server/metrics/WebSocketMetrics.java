package dev.bindery.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * Thread-safe. The meters of XMPP over WebSocket, beside {@link BoshMetrics}: live and started
 * streams, how they ended, the close codes, refused upgrades and relayed elements. The upstream
 * connection meters ({@code bosh_upstream_connect*}) count both transports.
 */
public final class WebSocketMetrics implements MeterBinder {

  public static final String SESSIONS_ACTIVE = "websocket.sessions.active";
  public static final String SESSIONS_STARTED = "websocket.sessions.started";
  public static final String SESSIONS_ENDED = "websocket.sessions.ended";
  public static final String CLOSES = "websocket.closes";
  public static final String UPGRADES_REFUSED = "websocket.upgrades.refused";
  public static final String STANZAS_RELAYED = "websocket.stanzas.relayed";

  private final IntSupplier activeSessions;
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  private volatile MeterRegistry registry = new CompositeMeterRegistry(); // no-op until bound

  /** @param activeSessions the number of open XMPP streams over WebSocket, read at each scrape */
  public WebSocketMetrics(IntSupplier activeSessions) {
    this.activeSessions = activeSessions;
  }

  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    this.registry = registry;
    counters.clear();
    Gauge.builder(SESSIONS_ACTIVE, activeSessions, IntSupplier::getAsInt)
        .description("XMPP streams open over WebSocket").register(registry);
  }

  /** A stream was let in and its server connection started. */
  public void sessionStarted() {
    counter(SESSIONS_STARTED, "transport", "websocket",
        "XMPP streams over WebSocket let in").increment();
  }

  /** A stream that was let in ended; {@code condition} its stream error, or {@code none}. */
  public void sessionEnded(String condition) {
    counter(SESSIONS_ENDED, "condition", condition,
        "XMPP streams over WebSocket ended, by stream error condition").increment();
  }

  /** A WebSocket connection closed with this status code (RFC 6455 §7.4). */
  public void closed(int statusCode) {
    counter(CLOSES, "code", Integer.toString(statusCode),
        "WebSocket connections closed, by close status code").increment();
  }

  /** An upgrade or a stream opening was refused, e.g. for a missing subprotocol or drain. */
  public void refused(String reason) {
    counter(UPGRADES_REFUSED, "reason", reason,
        "WebSocket upgrades and stream openings refused, by reason").increment();
  }

  /** Elements relayed in {@code direction} ({@link BoshMetrics#CLIENT_TO_SERVER} or back). */
  public void relayed(String direction, int elements) {
    counter(STANZAS_RELAYED, "direction", direction,
        "top-level elements relayed over WebSocket").increment(elements);
  }

  private Counter counter(String name, String tag, String value, String description) {
    MeterRegistry r = registry;
    return counters.computeIfAbsent(name + '\0' + value, k -> Counter.builder(name)
        .tag(tag, value).description(description).register(r));
  }
}
