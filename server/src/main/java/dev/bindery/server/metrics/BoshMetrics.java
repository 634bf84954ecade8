package dev.bindery.server.metrics;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyLimits;
import dev.bindery.protocol.xmpp.Stanza;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * Thread-safe: meters are thread-safe and looked up once. Bindery's own meters, recorded at the
 * points the servlet, session runners and upstream connector call. Names follow Micrometer's
 * dotted convention; the Prometheus registry renders {@code bosh.requests} as {@code
 * bosh_requests_total}. No tag carries a sid, a JID or an address: every tag value comes from a
 * small fixed set.
 */
public final class BoshMetrics implements MeterBinder {

  public static final String SESSIONS_ACTIVE = "bosh.sessions.active";
  public static final String SESSIONS_CREATED = "bosh.sessions.started";
  public static final String SESSIONS_ENDED = "bosh.sessions.ended";
  public static final String SESSIONS_REFUSED = "bosh.sessions.refused";
  public static final String SESSIONS_LIMIT = "bosh.sessions.limit";
  public static final String REQUESTS_HELD = "bosh.requests.held";
  public static final String REQUESTS = "bosh.requests";
  public static final String REQUEST_SIZE = "bosh.request.size";
  public static final String HTTP_REQUESTS = "bosh.http.requests";
  public static final String RESPONSE_SIZE = "bosh.response.size";
  public static final String RELAY_LATENCY = "bosh.relay.latency";
  public static final String STANZAS_RELAYED = "bosh.stanzas.relayed";
  public static final String BYTES_RELAYED = "bosh.relayed";
  public static final String BUFFERED = "bosh.buffered";
  public static final String UPSTREAM_CONNECT = "bosh.upstream.connect";
  public static final String UPSTREAM_CONNECT_FAILURES = "bosh.upstream.connect.failures";
  public static final String DRAINING = "bosh.draining";
  public static final String CONFIG_RELOADS = "bosh.config.reloads";
  public static final String FOREIGN_SIDS = "bosh.foreign.sid.requests";
  public static final String HEADER_TIMEOUTS = "bosh.http.header.timeouts";

  /** Tag values of {@code direction}. */
  public static final String CLIENT_TO_SERVER = "client_to_server";
  public static final String SERVER_TO_CLIENT = "server_to_client";

  /** Tag key and values of the meters both transports share: sessions, refusals, relaying. */
  public static final String TRANSPORT = "transport";
  public static final String BOSH = "bosh";
  public static final String WEBSOCKET = "websocket";

  /** {@code condition} tag value when there is none (an ordinary end or answer). */
  public static final String NO_CONDITION = "none";

  private static final double[] SIZE_BUCKETS = {256, 1024, 4096, 16_384, 65_536, 262_144,
      BodyLimits.ONE_MIB};
  private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5)};

  private final IntSupplier activeSessions;
  private final IntSupplier activeWebSockets;
  private final int sessionLimit;
  private final AtomicInteger held = new AtomicInteger();
  private final AtomicLong buffered = new AtomicLong();
  private volatile boolean draining;
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

  private MeterRegistry registry = new CompositeMeterRegistry(); // no-op until bound
  private DistributionSummary requestSize;
  private DistributionSummary responseSize;
  private Timer latencyToServer;
  private Timer latencyToClient;
  private Counter stanzasToServer;
  private Counter stanzasToClient;
  private Counter bytesToServer;
  private Counter bytesToClient;
  private Counter webSocketStanzasToServer;
  private Counter webSocketStanzasToClient;
  private Counter webSocketBytesToServer;
  private Counter webSocketBytesToClient;
  private Counter sessionsCreated;
  private Counter webSocketsStarted;
  private Counter foreignSids;
  private Counter headerTimeouts;
  private Counter http11Requests;
  private Counter http2Requests;
  private Timer upstreamConnect;

  /**
   * @param activeSessions the number of live sessions, read at each scrape
   * @param sessionLimit   the configured most sessions per node
   */
  public BoshMetrics(IntSupplier activeSessions, int sessionLimit) {
    this(activeSessions, () -> 0, sessionLimit);
  }

  /**
   * @param activeSessions   the number of live BOSH sessions, read at each scrape
   * @param activeWebSockets the number of XMPP streams open over WebSocket, read at each scrape
   * @param sessionLimit     the configured most sessions (of both transports) per node
   */
  public BoshMetrics(IntSupplier activeSessions, IntSupplier activeWebSockets,
      int sessionLimit) {
    this.activeSessions = activeSessions;
    this.activeWebSockets = activeWebSockets;
    this.sessionLimit = sessionLimit;
    bindTo(registry);
  }

  /** Metrics that record nowhere, for components used without a registry. */
  public static BoshMetrics unbound() {
    return new BoshMetrics(() -> 0, 0);
  }

  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    this.registry = registry;
    counters.clear();
    Gauge.builder(SESSIONS_ACTIVE, activeSessions, IntSupplier::getAsInt).tag(TRANSPORT, BOSH)
        .description("Live sessions on this node, by transport").register(registry);
    Gauge.builder(SESSIONS_ACTIVE, activeWebSockets, IntSupplier::getAsInt)
        .tag(TRANSPORT, WEBSOCKET)
        .description("Live sessions on this node, by transport").register(registry);
    Gauge.builder(SESSIONS_LIMIT, () -> sessionLimit)
        .description("Most live sessions allowed on this node (limits.max-sessions)")
        .register(registry);
    Gauge.builder(REQUESTS_HELD, held, AtomicInteger::get)
        .description("HTTP requests suspended and not yet answered (held long-polls)")
        .register(registry);
    Gauge.builder(BUFFERED, buffered, AtomicLong::get)
        .description("Bytes from XMPP servers waiting for a client request to carry them")
        .baseUnit("bytes").register(registry);
    Gauge.builder(DRAINING, () -> draining ? 1 : 0)
        .description("1 while this node drains (after SIGTERM), else 0").register(registry);
    sessionsCreated = started(BOSH);
    webSocketsStarted = started(WEBSOCKET);
    foreignSids = Counter.builder(FOREIGN_SIDS)
        .description("Requests whose sid names another node (node.name): the load balancer did"
            + " not route by sid, or that node is gone").register(registry);
    headerTimeouts = Counter.builder(HEADER_TIMEOUTS)
        .description("HTTP/1.1 connections closed because a request's headers took longer than"
            + " http.header-timeout (slowloris)").register(registry);
    requestSize = DistributionSummary.builder(REQUEST_SIZE)
        .description("Size of BOSH request bodies").baseUnit("bytes")
        .serviceLevelObjectives(SIZE_BUCKETS).register(registry);
    responseSize = DistributionSummary.builder(RESPONSE_SIZE)
        .description("Size of BOSH response bodies").baseUnit("bytes")
        .serviceLevelObjectives(SIZE_BUCKETS).register(registry);
    latencyToServer = latency(CLIENT_TO_SERVER,
        "From a request's arrival to the write of its stanzas to the XMPP server");
    latencyToClient = latency(SERVER_TO_CLIENT,
        "From a read from the XMPP server to the write of the response that carries it");
    stanzasToServer = stanzas(CLIENT_TO_SERVER, BOSH);
    stanzasToClient = stanzas(SERVER_TO_CLIENT, BOSH);
    bytesToServer = bytes(CLIENT_TO_SERVER, BOSH);
    bytesToClient = bytes(SERVER_TO_CLIENT, BOSH);
    webSocketStanzasToServer = stanzas(CLIENT_TO_SERVER, WEBSOCKET);
    webSocketStanzasToClient = stanzas(SERVER_TO_CLIENT, WEBSOCKET);
    webSocketBytesToServer = bytes(CLIENT_TO_SERVER, WEBSOCKET);
    webSocketBytesToClient = bytes(SERVER_TO_CLIENT, WEBSOCKET);
    http11Requests = httpRequests("HTTP/1.1");
    http2Requests = httpRequests("HTTP/2.0");
    upstreamConnect = Timer.builder(UPSTREAM_CONNECT)
        .description("Time to open a TCP connection to the XMPP server")
        .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
  }

  private Timer latency(String direction, String description) {
    return Timer.builder(RELAY_LATENCY).tag("direction", direction)
        .description("Relay latency: " + description.toLowerCase(java.util.Locale.ROOT))
        .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
  }

  private Counter started(String transport) {
    return Counter.builder(SESSIONS_CREATED).tag(TRANSPORT, transport)
        .description("Sessions created, by transport (Prometheus reserves _created: hence"
            + " started)").register(registry);
  }

  private Counter stanzas(String direction, String transport) {
    return Counter.builder(STANZAS_RELAYED).tag("direction", direction).tag(TRANSPORT, transport)
        .description("Top-level XML elements (stanzas, SASL, features) relayed")
        .register(registry);
  }

  private Counter bytes(String direction, String transport) {
    return Counter.builder(BYTES_RELAYED).tag("direction", direction).tag(TRANSPORT, transport)
        .description("Bytes of XML elements relayed (UTF-8)").baseUnit("bytes")
        .register(registry);
  }

  /** A BOSH session was created. */
  public void sessionCreated() {
    sessionsCreated.increment();
  }

  /** A BOSH session ended; a null condition is an ordinary end (terminate or inactivity). */
  public void sessionEnded(BindingCondition condition) {
    sessionEnded(BOSH, condition == null ? NO_CONDITION : condition.value());
  }

  /** An XMPP stream over WebSocket was let in and its server connection started. */
  public void webSocketStarted() {
    webSocketsStarted.increment();
  }

  /** An XMPP stream over WebSocket ended; {@code condition} its stream error, or {@code none}. */
  public void webSocketEnded(String condition) {
    sessionEnded(WEBSOCKET, condition);
  }

  private void sessionEnded(String transport, String condition) {
    counter(SESSIONS_ENDED, "condition", condition, transport,
        "Sessions ended, by transport and condition (the binding condition, or the stream error"
            + " over WebSocket; none: ended by the client or inactivity)").increment();
  }

  /**
   * A new session was refused.
   *
   * @param reason    one of {@code draining}, {@code max_sessions}, {@code ip_rate}
   * @param transport {@link #BOSH} or {@link #WEBSOCKET}
   */
  public void sessionRefused(String reason, String transport) {
    counter(SESSIONS_REFUSED, "reason", reason, transport,
        "New sessions refused by limits or drain, by transport").increment();
  }

  /** Elements relayed over WebSocket in {@code direction}, of {@code bytes} bytes (UTF-8). */
  public void webSocketRelayed(String direction, int elements, long bytes) {
    boolean toServer = CLIENT_TO_SERVER.equals(direction);
    (toServer ? webSocketStanzasToServer : webSocketStanzasToClient).increment(elements);
    (toServer ? webSocketBytesToServer : webSocketBytesToClient).increment(bytes);
  }

  /** A request arrived and is suspended until answered. */
  public void requestHeld() {
    held.incrementAndGet();
  }

  /** Requests suspended and not yet answered. */
  public int heldRequests() {
    return held.get();
  }

  /** A BOSH request arrived over {@code protocol}, as the servlet API names it. */
  public void requestProtocol(String protocol) {
    switch (protocol) {
      case "HTTP/1.1" -> http11Requests.increment();
      case "HTTP/2.0" -> http2Requests.increment();
      default -> httpRequests(protocol).increment();
    }
  }

  private Counter httpRequests(String protocol) {
    return counter(HTTP_REQUESTS, "protocol", protocol,
        "BOSH requests received, by HTTP version (HTTP/2: h2c or h2)");
  }

  /** A request body was read. */
  public void requestRead(long bytes) {
    requestSize.record(bytes);
  }

  /** A request carried the sid of another node; it is answered item-not-found. */
  public void foreignSid() {
    foreignSids.increment();
  }

  /** A connection was closed: its request's headers took longer than http.header-timeout. */
  public void headerTimedOut() {
    headerTimeouts.increment();
  }

  /** A held request's client went away before it was answered. */
  public void requestAbandoned() {
    held.decrementAndGet();
    requests("abandoned", NO_CONDITION).increment();
  }

  /** A held request was answered with this body ({@code null} for a bare HTTP status). */
  public void requestAnswered(Body body, int httpStatus, long bytes) {
    held.decrementAndGet();
    responseSize.record(bytes);
    String outcome;
    String condition = NO_CONDITION;
    if (body == null) {
      outcome = httpStatus == 200 ? "ok" : "http_error";
    } else if (body.isTerminate()) {
      outcome = "terminate";
      condition = body.condition().map(BindingCondition::value).orElse(NO_CONDITION);
    } else if ("error".equals(body.attribute(dev.bindery.protocol.body.BodyAttribute.TYPE)
        .orElse(null))) {
      outcome = "recoverable_error";
    } else {
      outcome = "ok";
    }
    requests(outcome, condition).increment();
  }

  private Counter requests(String outcome, String condition) {
    return counters.computeIfAbsent(REQUESTS + '\0' + outcome + '\0' + condition,
        k -> Counter.builder(REQUESTS).tag("outcome", outcome).tag("condition", condition)
            .description("BOSH requests answered, by outcome and binding condition")
            .register(registry));
  }

  /** Elements written to the XMPP server; {@code arrivalNanos} of the request, or 0. */
  public void relayedToServer(List<Stanza> stanzas, long arrivalNanos) {
    stanzasToServer.increment(stanzas.size());
    bytesToServer.increment(utf8Length(stanzas));
    if (arrivalNanos != 0) {
      latencyToServer.record(System.nanoTime() - arrivalNanos, TimeUnit.NANOSECONDS);
    }
  }

  /** Elements read from the XMPP server, now buffered for the client; returns their size. */
  public long receivedFromServer(List<Stanza> stanzas) {
    long bytes = utf8Length(stanzas);
    buffered.addAndGet(bytes);
    return bytes;
  }

  /**
   * Elements written to the client.
   *
   * @param readNanos when the oldest of them was read from the server, or 0
   * @return their size, which is no longer buffered
   */
  public long relayedToClient(List<Stanza> stanzas, long readNanos) {
    long bytes = utf8Length(stanzas);
    stanzasToClient.increment(stanzas.size());
    bytesToClient.increment(bytes);
    if (readNanos != 0) {
      latencyToClient.record(System.nanoTime() - readNanos, TimeUnit.NANOSECONDS);
    }
    return bytes;
  }

  /** Bytes no longer buffered: carried to the client, or dropped with an ended session. */
  public void unbuffered(long bytes) {
    buffered.addAndGet(-bytes);
  }

  /** A TCP connection to an XMPP server was made. */
  public void upstreamConnected(long nanos) {
    upstreamConnect.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A TCP connection to an XMPP server failed; the reason tag comes from the cause's type. */
  public void upstreamConnectFailed(Throwable cause) {
    counter(UPSTREAM_CONNECT_FAILURES, "reason", failureReason(cause),
        "Failed TCP connections to XMPP servers, by reason").increment();
  }

  /** Marks this node as draining (a gauge, for dashboards and alerts). */
  public void draining(boolean draining) {
    this.draining = draining;
  }

  /** A configuration reload was applied ({@code success}) or refused, changing nothing. */
  public void configReloaded(boolean applied) {
    counter(CONFIG_RELOADS, "outcome", applied ? "success" : "failure",
        "Configuration reloads (SIGHUP, POST /reload), by outcome").increment();
  }

  /** {@code refused}, {@code timeout}, {@code unresolved}, {@code unreachable} or {@code other}. */
  static String failureReason(Throwable cause) {
    if (cause instanceof ConnectTimeoutException) {
      return "timeout";
    }
    if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
      return "unresolved";
    }
    if (cause instanceof NoRouteToHostException) {
      return "unreachable";
    }
    if (cause instanceof ConnectException) {
      return "refused";
    }
    return "other";
  }

  private Counter counter(String name, String tag, String value, String description) {
    return counters.computeIfAbsent(name + '\0' + value, k -> Counter.builder(name)
        .tag(tag, value).description(description).register(registry));
  }

  private Counter counter(String name, String tag, String value, String transport,
      String description) {
    return counters.computeIfAbsent(name + '\0' + value + '\0' + transport,
        k -> Counter.builder(name).tag(tag, value).tag(TRANSPORT, transport)
            .description(description).register(registry));
  }

  /** The UTF-8 length of the elements' XML, without encoding it. */
  public static long utf8Length(List<Stanza> stanzas) {
    long n = 0;
    for (Stanza s : stanzas) {
      n += ByteBufUtil.utf8Bytes(s.xml());
    }
    return n;
  }
}
