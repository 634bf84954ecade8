package dev.bindery.server.admin;

import dev.bindery.server.reload.ConfigReload;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Thread-safe: Jetty serves it; its state is the registry and {@link Readiness}. The admin
 * listener, apart from the BOSH one so that a busy or draining BOSH side never hides it:
 * {@code /metrics} (Prometheus text format), {@code /health/live} (200 while the process
 * serves), {@code /health/ready} (200 when it should get new sessions, 503 while draining), and
 * {@code POST /reload} (re-reads the configuration; 200 with a summary, 400 when the new one is
 * invalid and nothing changed).
 */
public final class AdminServer implements AutoCloseable {

  /** Prometheus text exposition format 0.0.4. */
  static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  static final String TEXT = "text/plain; charset=utf-8";

  private final Server jetty;
  private final ServerConnector connector;

  private AdminServer(Server jetty, ServerConnector connector) {
    this.jetty = jetty;
    this.connector = connector;
  }

  /** Starts the listener on {@code bind:port} (0: a free port). */
  public static AdminServer start(String bind, int port, PrometheusMeterRegistry registry,
      Readiness readiness, ConfigReload reload) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(8, 2);
    threads.setName("bindery-admin");
    threads.setDaemon(true);
    Server jetty = new Server(threads);
    // h2c too, so a proxy whose backend speaks HTTP/2 (HAProxy 'proto h2') checks health over it
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(jetty, 1, 1,
        new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http));
    connector.setHost(bind);
    connector.setPort(port);
    jetty.addConnector(connector);
    jetty.setHandler(new AdminHandler(registry, readiness, reload));
    jetty.setStopTimeout(0);
    try {
      jetty.start();
    } catch (Exception e) {
      jetty.stop();
      throw e;
    }
    return new AdminServer(jetty, connector);
  }

  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() {
    try {
      jetty.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException("the admin listener did not stop", e);
    }
  }

  /**
   * Thread-safe: stateless apart from its thread-safe collaborators. Blocking: a reload waits for
   * the configuration to be read and the sessions to be swept.
   */
  private static final class AdminHandler extends Handler.Abstract {
    private final PrometheusMeterRegistry registry;
    private final Readiness readiness;
    private final ConfigReload reload;

    AdminHandler(PrometheusMeterRegistry registry, Readiness readiness, ConfigReload reload) {
      this.registry = registry;
      this.readiness = readiness;
      this.reload = reload;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String path = Request.getPathInContext(request);
      String method = request.getMethod();
      if (path.equals("/reload")) {
        if (!HttpMethod.POST.is(method)) {
          response.getHeaders().put(HttpHeader.ALLOW, "POST");
          return reply(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, TEXT,
              "POST only\n");
        }
        return reload(response, callback);
      }
      if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
        return reply(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, TEXT, "GET only\n");
      }
      return switch (path) {
        case "/metrics" -> reply(response, callback, 200, METRICS_CONTENT_TYPE, registry.scrape());
        case "/health/live" -> reply(response, callback, 200, TEXT, "live\n");
        case "/health/ready" -> readiness.ready()
            ? reply(response, callback, 200, TEXT, "ready\n")
            : reply(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, TEXT,
                readiness.draining() ? "draining\n" : "starting\n");
        default -> reply(response, callback, 404, TEXT,
            "not found; try /metrics, /health/live, /health/ready or POST /reload\n");
      };
    }

    private boolean reload(Response response, Callback callback) {
      try {
        return reply(response, callback, 200, TEXT, reload.reload().summary());
      } catch (IllegalArgumentException e) {
        return reply(response, callback, HttpStatus.BAD_REQUEST_400, TEXT,
            "invalid configuration, nothing changed: " + e.getMessage() + "\n");
      } catch (RuntimeException e) {
        return reply(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, TEXT,
            "reload failed: " + e + "\n");
      }
    }

    private static boolean reply(Response response, Callback callback, int status,
        String contentType, String text) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
      response.write(true, ByteBuffer.wrap(bytes), callback);
      return true;
    }
  }
}
