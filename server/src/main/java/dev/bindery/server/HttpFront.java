package dev.bindery.server;

import dev.bindery.protocol.body.BodyParser;
import dev.bindery.protocol.framing.FrameParser;
import dev.bindery.server.config.HttpConfig;
import dev.bindery.server.config.ServerConfig;
import dev.bindery.server.config.ThreadsConfig;
import dev.bindery.server.config.WebSocketConfig;
import dev.bindery.server.discovery.HostMetaHandler;
import dev.bindery.server.http.BoshServlet;
import dev.bindery.server.http.ClientAddresses;
import dev.bindery.server.http.HeaderDeadline;
import dev.bindery.server.http.HttpThreadPool;
import dev.bindery.server.http.Listeners;
import dev.bindery.server.http.NonBlockingServletContext;
import dev.bindery.server.websocket.WebSocketServices;
import dev.bindery.server.websocket.XmppWebSocketUpgrade;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * Immutable. The HTTP side: Jetty, its listeners, and what they serve, in the order a request
 * meets it:
 *
 * <pre>
 *   WebSocket upgrade at websocket.path ─▶ XmppWebSocket (RFC 7395)
 *   /.well-known/host-meta[.json]       ─▶ HostMetaHandler (XEP-0156)
 *   a file under http.web-root          ─▶ Jetty's ResourceHandler
 *   everything else                     ─▶ the BOSH servlet at /http-bind, or 404
 * </pre>
 */
record HttpFront(Server jetty, ServerConnector connector) {

  /** Jetty with everything above on its listeners, not started yet. */
  static HttpFront create(ServerConfig config, Bindery.SessionCore core) throws IOException {
    QueuedThreadPool threads = new HttpThreadPool(config.threads().httpMaxThreads(),
        ThreadsConfig.MIN_HTTP_THREADS, core.loops());
    threads.setName("bindery-http");
    Server jetty = new Server(threads);
    // an idle keep-alive connection outlives the longest held request
    long longestWaitMillis = TimeUnit.SECONDS.toMillis(config.sessionLimits().maxWait());
    long idleMillis = longestWaitMillis + 30_000;
    HttpConfig http = config.http();
    ServerConnector connector = Listeners.plain(jetty, http.bind(), http.port(), http.http2(),
        idleMillis);
    jetty.addConnector(connector);
    if (http.https().enabled()) {
      jetty.addConnector(Listeners.https(jetty, http.bind(), http.https(), http.http2(),
          idleMillis));
    }
    // a request's headers trickled byte by byte would reset the idle timeout for hours
    jetty.addBean(new HeaderDeadline(jetty, http.headerTimeout(), core.metrics()::headerTimedOut));
    ClientAddresses addresses = new ClientAddresses(http.trustedProxies());
    ServletContextHandler context = new NonBlockingServletContext("/");
    BoshServlet servlet = new BoshServlet(new BodyParser(config.bodyLimits()), core.sessions(),
        http.allowedOrigins(), longestWaitMillis + 15_000, addresses, core.metrics());
    ServletHolder holder = new ServletHolder("bosh", servlet);
    holder.setAsyncSupported(true);
    context.addServlet(holder, Bindery.PATH + "/*");

    WebSocketConfig webSocket = config.webSocket();
    Handler site = context;
    if (http.webRoot() != null) {
      // a file when there is one, else on to BOSH; serving files makes the chain blocking, so
      // Jetty then runs BOSH requests on pool threads rather than on the selector
      ResourceHandler files = new ResourceHandler();
      files.setBaseResource(ResourceFactory.of(jetty).newResource(http.webRoot()));
      files.setDirAllowed(false);
      files.setWelcomeFiles(List.of("index.html"));
      files.setHandler(context);
      site = files;
    }
    site = new Handler.Sequence(new HostMetaHandler(Bindery.PATH,
        webSocket.enabled() ? webSocket.path() : null, config.discovery().boshUrl(),
        config.discovery().webSocketUrl(), addresses), site);
    if (webSocket.enabled()) {
      jetty.setHandler(webSockets(config, core, addresses, jetty, site));
    } else {
      jetty.setHandler(site);
    }
    jetty.setStopTimeout(5_000);
    return new HttpFront(jetty, connector);
  }

  /** The WebSocket upgrade at {@code websocket.path}, in front of {@code next}. */
  private static Handler webSockets(ServerConfig config, Bindery.SessionCore core,
      ClientAddresses addresses, Server jetty, Handler next) {
    WebSocketConfig webSocket = config.webSocket();
    int maxChars = config.upstream().limits().maxClientStanzaChars();
    URI seeOther = config.drain().seeOtherUri();
    WebSocketServices services = new WebSocketServices(core.loops(), core.upstream(),
        core.policy(), core.admission(), core.sockets(), core.metrics(),
        core.webSocketMetrics(), new FrameParser(maxChars), webSocket,
        seeOther == null ? null : seeOther.toString());
    XmppWebSocketUpgrade upgrade = new XmppWebSocketUpgrade(services, addresses,
        config.http().allowedOrigins(), core.readiness()::draining);
    WebSocketUpgradeHandler upgrades = WebSocketUpgradeHandler.from(jetty, container -> {
      // a message of the most characters, each up to 4 bytes of UTF-8: the parser then answers
      // an oversized element with policy-violation, as BOSH does
      container.setMaxTextMessageSize(4L * maxChars + 1024);
      container.setMaxBinaryMessageSize(1024);
      // liveness is the pings' (XmppWebSocket); this only ends connections nobody tends
      container.setIdleTimeout(webSocket.idleTimeout().plus(webSocket.pingInterval()));
      // the upgrade and XmppWebSocket's callbacks never block (they hand over to the loops);
      // Jetty's default, BLOCKING, would make the whole chain blocking and move every BOSH
      // request off the selector that read it (NonBlockingServletContext)
      container.setInvocationType(InvocationType.NON_BLOCKING);
      container.addMapping(webSocket.path(), upgrade);
    });
    upgrades.setHandler(next);
    return upgrades;
  }
}
