package dev.bindery.server;

import dev.bindery.protocol.body.BodyParser;
import dev.bindery.server.http.BoshServlet;
import dev.bindery.server.http.ClientAddresses;
import dev.bindery.server.session.SessionRegistry;
import dev.bindery.server.upstream.UpstreamConnector;
import dev.bindery.server.upstream.DomainRoute;
import dev.bindery.server.upstream.UpstreamPolicy;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
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
  private final UpstreamConnector upstream;

  private Bindery(ServerConfig config, Server jetty, ServerConnector connector,
      EventLoopGroup loops, SessionRegistry sessions, UpstreamConnector upstream) {
    this.config = config;
    this.jetty = jetty;
    this.connector = connector;
    this.loops = loops;
    this.sessions = sessions;
    this.upstream = upstream;
  }

  /** Starts a connection manager and returns once it accepts requests. */
  public static Bindery start(ServerConfig config) throws Exception {
    UpstreamPolicy policy = config.upstreamPolicy();
    UpstreamConnector upstream = new UpstreamConnector(policy); // fails on a bad trust store
    EventLoopGroup loops = new MultiThreadIoEventLoopGroup(0,
        new DefaultThreadFactory("bindery-session", true), NioIoHandler.newFactory());
    SessionRegistry sessions =
        new SessionRegistry(loops, upstream, config.sessionLimits(), policy);

    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("bindery-http");
    Server jetty = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
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
        config.allowedOrigins(), longestWaitMillis + 15_000,
        new ClientAddresses(config.trustedProxies()));
    ServletHolder holder = new ServletHolder("bosh", servlet);
    holder.setAsyncSupported(true);
    context.addServlet(holder, PATH + "/*");
    jetty.setHandler(context);
    jetty.setStopTimeout(5_000);
    try {
      jetty.start();
    } catch (Exception e) {
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      upstream.close();
      jetty.stop();
      throw e;
    }
    Bindery bindery = new Bindery(config, jetty, connector, loops, sessions, upstream);
    LOG.info("Bindery listening on {}, relaying {}", bindery.endpoint(), routes(policy));
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
    upstream.close();
    loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    LOG.info("Bindery stopped");
  }
}
