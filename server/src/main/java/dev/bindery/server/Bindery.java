package dev.bindery.server;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.server.admin.AdminServer;
import dev.bindery.server.admin.Readiness;
import dev.bindery.server.config.ConfigSource;
import dev.bindery.server.config.ServerConfig;
import dev.bindery.server.limits.Admission;
import dev.bindery.server.metrics.BoshMetrics;
import dev.bindery.server.metrics.MetricsSetup;
import dev.bindery.server.metrics.WebSocketMetrics;
import dev.bindery.server.reload.ConfigReload;
import dev.bindery.server.reload.ReloadResult;
import dev.bindery.server.session.LiveSessions;
import dev.bindery.server.session.SessionRegistry;
import dev.bindery.server.upstream.CurrentPolicy;
import dev.bindery.server.upstream.DomainRoute;
import dev.bindery.server.upstream.Transport;
import dev.bindery.server.upstream.UpstreamConnector;
import dev.bindery.server.upstream.UpstreamPolicy;
import dev.bindery.server.websocket.WebSocketSessions;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread-safe. A running connection manager: the HTTP front with BOSH at {@code /http-bind},
 * XMPP over WebSocket and XEP-0156 host-meta, its upstream connections, and the admin listener
 * with metrics and health. Start one with {@link
 * #start(ServerConfig)}; {@link #reload()} applies a changed configuration, {@link #drain()}
 * stops it gracefully, {@link #close()} at once.
 */
public final class Bindery implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Bindery.class);

  /** The path BOSH clients post to. */
  public static final String PATH = "/http-bind";

  /** After the last system-shutdown, how long to wait for sessions to answer and end. */
  static final Duration FINAL_SHUTDOWN_WAIT = Duration.ofSeconds(3);

  private final ServerConfig config;
  private final HttpFront http;
  private final SessionCore core;
  private final Operations ops;

  private Bindery(ServerConfig config, HttpFront http, SessionCore core, Operations ops) {
    this.config = config;
    this.http = http;
    this.core = core;
    this.ops = ops;
  }

  /**
   * Immutable. The sessions of both transports, their event loops, their upstream connections,
   * what lets them in, and their metrics.
   */
  record SessionCore(EventLoopGroup loops, SessionRegistry sessions, WebSocketSessions sockets,
      UpstreamConnector upstream, CurrentPolicy policy, Admission admission, Readiness readiness,
      BoshMetrics metrics, WebSocketMetrics webSocketMetrics) {}

  /** Immutable. What operators use: the meters, the admin listener, readiness and reload. */
  private record Operations(PrometheusMeterRegistry registry, AdminServer admin,
      Readiness readiness, ConfigReload reload) {}

  /**
   * Starts a connection manager and returns once it accepts requests. A {@link #reload()} finds
   * the same configuration, so it changes nothing.
   */
  public static Bindery start(ServerConfig config) throws Exception {
    return start(config, () -> config);
  }

  /**
   * Starts a connection manager with {@code config}, which {@code source} loaded; {@link
   * #reload()}, {@code POST /reload} and the executable's SIGHUP load it again from there.
   */
  public static Bindery start(ServerConfig config, ConfigSource source) throws Exception {
    UpstreamPolicy policy = config.upstream();
    LiveSessions live = new LiveSessions();
    WebSocketSessions sockets = new WebSocketSessions();
    BoshMetrics metrics = new BoshMetrics(live, sockets::size, config.admission().maxSessions());
    // fails on a bad trust store
    UpstreamConnector upstream = new UpstreamConnector(policy, metrics);
    EventLoopGroup loops = new MultiThreadIoEventLoopGroup(config.threads().sessionLoops(),
        new DefaultThreadFactory("bindery-session", true), Transport.ioHandlerFactory());
    CurrentPolicy current = new CurrentPolicy(policy);
    Readiness readiness = new Readiness();
    // one limit for both transports
    Admission admission = new Admission(config.admission(),
        () -> live.getAsInt() + sockets.size(), readiness, config.drain().seeOtherUri(),
        metrics);
    SessionRegistry sessions = new SessionRegistry(live, loops, upstream, current,
        config.sessionLimits(), config.nodeName(), admission, metrics);
    ConfigReload reload = new ConfigReload(source, config, current, upstream,
        List.of(sessions, sockets), metrics);
    WebSocketMetrics webSocketMetrics = new WebSocketMetrics();

    SessionCore core = new SessionCore(loops, sessions, sockets, upstream, current, admission,
        readiness, metrics, webSocketMetrics);
    HttpFront http = HttpFront.create(config, core);
    Server jetty = http.jetty();
    PrometheusMeterRegistry registry = MetricsSetup.prometheus(metrics, jetty, loops);
    webSocketMetrics.bindTo(registry);
    AdminServer admin;
    try {
      jetty.start();
      admin = AdminServer.start(config.admin().bind(), config.admin().port(), registry,
          readiness, reload);
    } catch (Exception e) {
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      upstream.close();
      jetty.stop();
      registry.close();
      throw e;
    }
    readiness.started();
    Bindery bindery = new Bindery(config, http, core,
        new Operations(registry, admin, readiness, reload));
    LOG.info("Bindery listening on {}{}, relaying {}; admin on http://{}:{}/"
        + " (metrics, health, reload); {} transport", bindery.endpoint(),
        bindery.httpsPort() < 0 ? "" : " and HTTPS port " + bindery.httpsPort(), routes(policy),
        config.admin().bind(), admin.port(), Transport.name());
    return bindery;
  }

  private static String routes(UpstreamPolicy policy) {
    StringBuilder b = new StringBuilder();
    for (DomainRoute d : policy.domains()) {
      b.append(b.length() == 0 ? "" : ", ").append(d.domain()).append(" to ")
          .append(d.usesSrv() ? "SRV" : d.fixed().toString())
          .append(" (tls ").append(d.tls().key()).append(')');
    }
    return b.toString();
  }

  /** The HTTP side: Jetty and its listeners. */
  HttpFront http() {
    return http;
  }

  /** The port the HTTP listener is bound to. */
  public int port() {
    return http.connector().getLocalPort();
  }

  /** The port the HTTPS listener is bound to, or -1 when there is none. */
  public int httpsPort() {
    for (Connector c : http.jetty().getConnectors()) {
      if (c != http.connector() && c instanceof ServerConnector secure) {
        return secure.getLocalPort();
      }
    }
    return -1;
  }

  /** The port the admin listener is bound to. */
  public int adminPort() {
    return ops.admin().port();
  }

  /** The BOSH endpoint, e.g. {@code http://127.0.0.1:5280/http-bind}. */
  public URI endpoint() {
    return URI.create(base(config.http().bind(), port()) + PATH);
  }

  /**
   * The WebSocket endpoint, e.g. {@code ws://127.0.0.1:5280/xmpp-websocket}, also when
   * WebSocket is off.
   */
  public URI webSocketEndpoint() {
    return URI.create(base(config.http().bind(), port()).replaceFirst("^http", "ws")
        + config.webSocket().path());
  }

  /** The admin listener, e.g. {@code http://127.0.0.1:9280/}. */
  public URI adminEndpoint() {
    return URI.create(base(config.admin().bind(), adminPort()) + "/");
  }

  private static String base(String bind, int port) {
    String host = bind.contains(":") ? "[" + bind + "]" : bind;
    if (host.equals("0.0.0.0") || host.equals("[::]")) {
      host = "127.0.0.1";
    }
    return "http://" + host + ":" + port;
  }

  /** The live sessions. */
  public SessionRegistry sessions() {
    return core.sessions();
  }

  /** The meters, as {@code /metrics} shows them. */
  public PrometheusMeterRegistry meterRegistry() {
    return ops.registry();
  }

  /**
   * Loads the configuration again from its source and applies the served domains and their
   * upstream settings; sessions to a domain no longer served end with {@code host-gone}. See
   * {@link ConfigReload}.
   *
   * @throws IllegalArgumentException the configuration is invalid; nothing changed
   */
  public ReloadResult reload() {
    return ops.reload().reload();
  }

  /** False while starting and from the moment a drain begins. */
  public boolean ready() {
    return ops.readiness().ready();
  }

  /** Drains with the configured grace period; see {@link #drain(Duration)}. */
  public void drain() {
    drain(config.drain().gracePeriod());
  }

  /**
   * Drains this node, blocking until done: readiness turns false at once and new sessions are
   * sent elsewhere ({@code see-other-uri} or {@code system-shutdown}); existing sessions keep
   * working for {@code grace} or until they all end; then each one left gets {@code
   * system-shutdown} on its held request and its server connection closes after what the client
   * sent, leaving the stream unfinished for the client to resume elsewhere (XEP-0198). Listeners
   * stay open: {@link #close()} stops them.
   */
  public void drain(Duration grace) {
    if (!ops.readiness().startDraining()) {
      return;
    }
    core.metrics().draining(true);
    int bosh = core.sessions().size();
    int webSocket = core.sockets().size();
    LOG.info("draining: {} sessions ({} BOSH, {} WebSocket) have {} s to finish",
        bosh + webSocket, bosh, webSocket, grace.toSeconds());
    awaitNoSessions(grace);
    int left = core.sessions().size();
    if (left > 0) {
      LOG.info("drain grace period over: ending {} sessions with system-shutdown", left);
      core.sessions().shutdownAll(BindingCondition.SYSTEM_SHUTDOWN);
    }
    endWebSockets();
    awaitAnswered(FINAL_SHUTDOWN_WAIT);
    LOG.info("drained: {} sessions and {} WebSocket streams left", core.sessions().size(),
        core.sockets().size());
  }

  private void awaitNoSessions(Duration limit) {
    await(limit, () -> core.sessions().size() + core.sockets().size() > 0);
  }

  /**
   * Ends the WebSocket streams left: {@code <close see-other-uri/>} to the drain target, or a
   * {@code system-shutdown} stream error (RFC 7395 §3.6.1, RFC 6120 §4.9.3.20).
   */
  private void endWebSockets() {
    if (core.sockets().size() > 0) {
      URI target = config.drain().seeOtherUri();
      LOG.info("ending {} WebSocket streams with {}", core.sockets().size(),
          target == null ? "system-shutdown" : "see-other-uri " + target);
      core.sockets().shutdownAll(target == null ? null : target.toString());
    }
  }

  /**
   * Waits until sessions have ended or no request is held any more: a session whose client has
   * no request out learns system-shutdown from its next one, or not at all once we stop.
   */
  private void awaitAnswered(Duration limit) {
    await(limit, () -> core.sessions().size() > 0 && core.metrics().heldRequests() > 0
        || core.sockets().size() > 0);
  }

  private static void await(Duration limit, java.util.function.BooleanSupplier busy) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (busy.getAsBoolean() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50); // polling a count across threads; nothing is ordered by this
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Stops at once: every live session gets {@code system-shutdown}, then the listeners and
   * event loops stop. Call {@link #drain()} first for a graceful stop.
   */
  @Override
  public void close() {
    ops.readiness().startDraining();
    core.metrics().draining(true);
    if (core.sessions().size() > 0) {
      core.sessions().shutdownAll(BindingCondition.SYSTEM_SHUTDOWN);
    }
    endWebSockets();
    if (core.sessions().size() + core.sockets().size() > 0) {
      awaitAnswered(FINAL_SHUTDOWN_WAIT);
    }
    try {
      http.jetty().stop();
    } catch (Exception e) {
      LOG.warn("HTTP listener did not stop cleanly", e);
    }
    try {
      ops.admin().close();
    } catch (Exception e) {
      LOG.warn("admin listener did not stop cleanly", e);
    }
    core.upstream().close();
    core.loops().shutdownGracefully(0, 2, TimeUnit.SECONDS)
        .awaitUninterruptibly(5, TimeUnit.SECONDS);
    ops.registry().close();
    LOG.info("Bindery stopped");
  }
}
