package dev.bindery.server;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.BodyParser;
import dev.bindery.server.admin.AdminServer;
import dev.bindery.server.admin.Readiness;
import dev.bindery.server.config.ConfigSource;
import dev.bindery.server.config.ServerConfig;
import dev.bindery.server.config.ThreadsConfig;
import dev.bindery.server.http.BoshServlet;
import dev.bindery.server.http.ClientAddresses;
import dev.bindery.server.http.HttpThreadPool;
import dev.bindery.server.http.Listeners;
import dev.bindery.server.http.NonBlockingServletContext;
import dev.bindery.server.limits.Admission;
import dev.bindery.server.metrics.BoshMetrics;
import dev.bindery.server.metrics.MetricsSetup;
import dev.bindery.server.reload.ConfigReload;
import dev.bindery.server.reload.ReloadResult;
import dev.bindery.server.session.SessionRegistry;
import dev.bindery.server.upstream.CurrentPolicy;
import dev.bindery.server.upstream.DomainRoute;
import dev.bindery.server.upstream.Transport;
import dev.bindery.server.upstream.UpstreamConnector;
import dev.bindery.server.upstream.UpstreamPolicy;
import dev.bindery.protocol.framing.FrameParser;
import dev.bindery.server.config.WebSocketConfig;
import dev.bindery.server.discovery.HostMetaHandler;
import dev.bindery.server.metrics.WebSocketMetrics;
import dev.bindery.server.websocket.WebSocketServices;
import dev.bindery.server.websocket.WebSocketSessions;
import dev.bindery.server.websocket.XmppWebSocketUpgrade;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread-safe. A running connection manager: the HTTP front at {@code /http-bind}, its upstream
 * connections, and the admin listener with metrics and health. Start one with {@link
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
  private final Server jetty;
  private final ServerConnector connector;
  private final EventLoopGroup loops;
  private final SessionRegistry sessions;
  private final WebSocketSessions sockets;
  private final BoshMetrics metrics;
  private final PrometheusMeterRegistry registry;
  private final AdminServer admin;
  private final Readiness readiness;
  private final UpstreamConnector upstream;
  private final ConfigReload reload;

  private Bindery(ServerConfig config, Server jetty, ServerConnector connector,
      EventLoopGroup loops, SessionRegistry sessions, WebSocketSessions sockets,
      BoshMetrics metrics,
      PrometheusMeterRegistry registry, AdminServer admin, Readiness readiness,
      UpstreamConnector upstream, ConfigReload reload) {
    this.config = config;
    this.jetty = jetty;
    this.connector = connector;
    this.loops = loops;
    this.sessions = sessions;
    this.sockets = sockets;
    this.metrics = metrics;
    this.registry = registry;
    this.admin = admin;
    this.readiness = readiness;
    this.upstream = upstream;
    this.reload = reload;
  }

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
    UpstreamPolicy policy = config.upstreamPolicy();
    UpstreamConnector upstream = new UpstreamConnector(policy); // fails on a bad trust store
    EventLoopGroup loops = new MultiThreadIoEventLoopGroup(config.threads().sessionLoops(),
        new DefaultThreadFactory("bindery-session", true), Transport.ioHandlerFactory());
    AtomicReference<SessionRegistry> live = new AtomicReference<>();
    WebSocketSessions sockets = new WebSocketSessions();
    BoshMetrics metrics = new BoshMetrics(
        () -> live.get() == null ? 0 : live.get().size(), config.admission().maxSessions());
    upstream.metrics(metrics);
    CurrentPolicy current = new CurrentPolicy(policy);
    SessionRegistry sessions =
        new SessionRegistry(loops, upstream, config.sessionLimits(), current, config.nodeName());
    live.set(sessions);
    sessions.metrics(metrics);
    Readiness readiness = new Readiness();
    // one limit for both transports
    Admission admission = new Admission(config.admission(), () -> sessions.size() + sockets.size(),
        readiness, config.drain().seeOtherUri(), metrics);
    sessions.gate(admission);
    ConfigReload reload = new ConfigReload(source, config, current, upstream, sessions, sockets,
        metrics);

    QueuedThreadPool threads = new HttpThreadPool(config.threads().httpMaxThreads(),
        ThreadsConfig.MIN_HTTP_THREADS, loops);
    threads.setName("bindery-http");
    Server jetty = new Server(threads);
    // an idle keep-alive connection outlives the longest held request
    long longestWaitMillis = TimeUnit.SECONDS.toMillis(config.sessionLimits().maxWait());
    long idleMillis = longestWaitMillis + 30_000;
    ServerConnector connector = Listeners.plain(jetty, config.bind(), config.port(),
        config.http2(), idleMillis);
    jetty.addConnector(connector);
    if (config.https().enabled()) {
      jetty.addConnector(Listeners.https(jetty, config.bind(), config.https(), config.http2(),
          idleMillis));
    }

    ClientAddresses addresses = new ClientAddresses(config.trustedProxies());
    ServletContextHandler context = new NonBlockingServletContext("/");
    BoshServlet servlet = new BoshServlet(new BodyParser(config.bodyLimits()), sessions,
        config.allowedOrigins(), longestWaitMillis + 15_000, addresses, metrics);
    ServletHolder holder = new ServletHolder("bosh", servlet);
    holder.setAsyncSupported(true);
    context.addServlet(holder, PATH + "/*");
    WebSocketConfig webSocket = WebSocketConfig.DEFAULTS;
    WebSocketMetrics webSocketMetrics = new WebSocketMetrics(sockets::size);
    // XEP-0156 discovery first, then BOSH; WebSocket upgrades in front of both
    Handler.Sequence site = new Handler.Sequence(new HostMetaHandler(PATH,
        webSocket.enabled() ? webSocket.path() : null, null, null, addresses), context);
    if (webSocket.enabled()) {
      URI seeOther = config.drain().seeOtherUri();
      WebSocketServices services = new WebSocketServices(loops, upstream, current, admission,
          sockets, webSocketMetrics, new FrameParser(policy.limits().maxClientStanzaChars()),
          webSocket, seeOther == null ? null : seeOther.toString());
      XmppWebSocketUpgrade upgrade = new XmppWebSocketUpgrade(services, addresses,
          config.allowedOrigins(), readiness);
      WebSocketUpgradeHandler upgrades = WebSocketUpgradeHandler.from(jetty, container -> {
        // a message of the most characters, each up to 4 bytes of UTF-8: the parser then
        // answers an oversized element with policy-violation, as BOSH does
        container.setMaxTextMessageSize(4L * policy.limits().maxClientStanzaChars() + 1024);
        container.setMaxBinaryMessageSize(1024);
        // liveness is the pings' (XmppWebSocket); this only ends connections nobody tends
        container.setIdleTimeout(webSocket.idleTimeout().plus(webSocket.pingInterval()));
        container.addMapping(webSocket.path(), upgrade);
      });
      upgrades.setHandler(site);
      jetty.setHandler(upgrades);
    } else {
      jetty.setHandler(site);
    }
    jetty.setStopTimeout(5_000);
    PrometheusMeterRegistry registry = MetricsSetup.prometheus(metrics, jetty, loops);
    webSocketMetrics.bindTo(registry);
    AdminServer admin = null;
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
    Bindery bindery = new Bindery(config, jetty, connector, loops, sessions, sockets, metrics,
        registry,
        admin, readiness, upstream, reload);
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

  /** The port the HTTP listener is bound to. */
  public int port() {
    return connector.getLocalPort();
  }

  /** The port the HTTPS listener is bound to, or -1 when there is none. */
  public int httpsPort() {
    for (Connector c : jetty.getConnectors()) {
      if (c != connector && c instanceof ServerConnector secure) {
        return secure.getLocalPort();
      }
    }
    return -1;
  }

  /** The port the admin listener is bound to. */
  public int adminPort() {
    return admin.port();
  }

  /** The BOSH endpoint, e.g. {@code http://127.0.0.1:5280/http-bind}. */
  public URI endpoint() {
    return URI.create(base(config.bind(), port()) + PATH);
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
    return sessions;
  }

  /** The meters, as {@code /metrics} shows them. */
  public PrometheusMeterRegistry meterRegistry() {
    return registry;
  }

  /**
   * Loads the configuration again from its source and applies the served domains and their
   * upstream settings; sessions to a domain no longer served end with {@code host-gone}. See
   * {@link ConfigReload}.
   *
   * @throws IllegalArgumentException the configuration is invalid; nothing changed
   */
  public ReloadResult reload() {
    return reload.reload();
  }

  /** False while starting and from the moment a drain begins. */
  public boolean ready() {
    return readiness.ready();
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
    if (!readiness.startDraining()) {
      return;
    }
    metrics.draining(true);
    LOG.info("draining: {} sessions ({} BOSH, {} WebSocket) have {} s to finish",
        sessions.size() + sockets.size(), sessions.size(), sockets.size(), grace.toSeconds());
    awaitNoSessions(grace);
    int left = sessions.size();
    if (left > 0) {
      LOG.info("drain grace period over: ending {} sessions with system-shutdown", left);
      sessions.shutdownAll(BindingCondition.SYSTEM_SHUTDOWN);
    }
    endWebSockets();
    awaitAnswered(FINAL_SHUTDOWN_WAIT);
    LOG.info("drained: {} sessions and {} WebSocket streams left", sessions.size(),
        sockets.size());
  }

  private void awaitNoSessions(Duration limit) {
    await(limit, () -> sessions.size() + sockets.size() > 0);
  }

  /**
   * Ends the WebSocket streams left: {@code <close see-other-uri/>} to the drain target, or a
   * {@code system-shutdown} stream error (RFC 7395 §3.6.1, RFC 6120 §4.9.3.20).
   */
  private void endWebSockets() {
    if (sockets.size() > 0) {
      URI target = config.drain().seeOtherUri();
      LOG.info("ending {} WebSocket streams with {}", sockets.size(),
          target == null ? "system-shutdown" : "see-other-uri " + target);
      sockets.shutdownAll(target == null ? null : target.toString());
    }
  }

  /**
   * Waits until sessions have ended or no request is held any more: a session whose client has
   * no request out learns system-shutdown from its next one, or not at all once we stop.
   */
  private void awaitAnswered(Duration limit) {
    await(limit, () -> sessions.size() > 0 && metrics.heldRequests() > 0 || sockets.size() > 0);
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
    readiness.startDraining();
    metrics.draining(true);
    if (sessions.size() > 0) {
      sessions.shutdownAll(BindingCondition.SYSTEM_SHUTDOWN);
    }
    endWebSockets();
    if (sessions.size() + sockets.size() > 0) {
      awaitAnswered(FINAL_SHUTDOWN_WAIT);
    }
    try {
      jetty.stop();
    } catch (Exception e) {
      LOG.warn("HTTP listener did not stop cleanly", e);
    }
    try {
      admin.close();
    } catch (Exception e) {
      LOG.warn("admin listener did not stop cleanly", e);
    }
    upstream.close();
    loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    registry.close();
    LOG.info("Bindery stopped");
  }
}
