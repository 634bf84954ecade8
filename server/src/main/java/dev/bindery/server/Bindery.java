package dev.bindery.server;

import dev.bindery.protocol.body.BodyParser;
import dev.bindery.server.http.BoshServlet;
import dev.bindery.server.session.SessionRegistry;
import dev.bindery.server.upstream.UpstreamConnector;
import dev.bindery.server.upstream.XmppStreamDecoder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread-safe. A running connection manager: the HTTP front at {@code /http-bind} and its
 * upstream connections. Start one with {@link #start(ServerConfig)}; {@link #close()} stops it.
 */
public final class Bindery implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Bindery.class);

  /** The path BOSH clients post to. */
  public static final String PATH = "/http-bind";

  private final ServerConfig config;
  private final Server jetty;
  private final ServerConnector connector;
  private final EventLoopGroup loops;
  private final SessionRegistry sessions;

  private Bindery(ServerConfig config, Server jetty, ServerConnector connector,
      EventLoopGroup loops, SessionRegistry sessions) {
    this.config = config;
    this.jetty = jetty;
    this.connector = connector;
    this.loops = loops;
    this.sessions = sessions;
  }

  /** Starts a connection manager and returns once it accepts requests. */
  public static Bindery start(ServerConfig config) throws Exception {
    EventLoopGroup loops = new MultiThreadIoEventLoopGroup(0,
        new DefaultThreadFactory("bindery-session", true), NioIoHandler.newFactory());
    UpstreamConnector upstream = new UpstreamConnector(
        new InetSocketAddress(config.upstreamHost(), config.upstreamPort()),
        UpstreamConnector.DEFAULT_CONNECT_TIMEOUT_MILLIS,
        XmppStreamDecoder.DEFAULT_MAX_STANZA_CHARS);
    SessionRegistry sessions =
        new SessionRegistry(loops, upstream, config.sessionLimits(), config.domains());

    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("bindery-http");
    Server jetty = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    // Jetty's header field cache is a 48 K-char trie per connection (about 100 KB of heap, held
    // for the connection's life). BOSH requests carry a handful of short headers, and a BOSH
    // client keeps two connections per session open, so the cache cost more heap per session
    // than everything else together: off.
    http.setHeaderCacheSize(0);
    ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
    connector.setHost(config.bind());
    connector.setPort(config.port());
    // an idle keep-alive connection outlives the longest held request
    long longestWaitMillis = TimeUnit.SECONDS.toMillis(config.sessionLimits().maxWait());
    connector.setIdleTimeout(longestWaitMillis + 30_000);
    connector.setAcceptQueueSize(1024);
    jetty.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler("/");
    BoshServlet servlet = new BoshServlet(new BodyParser(config.bodyLimits()), sessions,
        config.allowedOrigins(), longestWaitMillis + 15_000);
    ServletHolder holder = new ServletHolder("bosh", servlet);
    holder.setAsyncSupported(true);
    context.addServlet(holder, PATH + "/*");
    jetty.setHandler(context);
    jetty.setStopTimeout(5_000);
    try {
      jetty.start();
    } catch (Exception e) {
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      jetty.stop();
      throw e;
    }
    Bindery bindery = new Bindery(config, jetty, connector, loops, sessions);
    LOG.info("Bindery listening on {}, relaying {} to {}:{}", bindery.endpoint(),
        String.join(", ", config.domains()), config.upstreamHost(), config.upstreamPort());
    return bindery;
  }

  /** The port the HTTP listener is bound to. */
  public int port() {
    return connector.getLocalPort();
  }

  /** The BOSH endpoint, e.g. {@code http://127.0.0.1:5280/http-bind}. */
  public URI endpoint() {
    String host = config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind();
    if (host.equals("0.0.0.0") || host.equals("[::]")) {
      host = "127.0.0.1";
    }
    return URI.create("http://" + host + ":" + port() + PATH);
  }

  /** The live sessions. */
  public SessionRegistry sessions() {
    return sessions;
  }

  @Override
  public void close() {
    try {
      jetty.stop();
    } catch (Exception e) {
      LOG.warn("HTTP listener did not stop cleanly", e);
    }
    loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    LOG.info("Bindery stopped");
  }
}
