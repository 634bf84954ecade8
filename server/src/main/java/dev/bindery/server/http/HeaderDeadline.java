package dev.bindery.server.http;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread-safe: its state is confined to the sweeps, which run one at a time on Jetty's
 * scheduler. Closes an HTTP/1.1 connection whose request headers have been arriving for longer
 * than {@code http.header-timeout}.
 *
 * <p>Jetty's idle timeout starts again with every byte read, and Jetty has no deadline of its
 * own for a request's headers: a client sending one byte every few seconds (slowloris) would
 * keep its connection, and a descriptor, for hours. A sweep every fraction of the timeout looks
 * at each connection's parser: one that is past the request's first byte and not yet past its
 * headers is timed from the first sweep that saw it so, and closed once that exceeds the
 * timeout. Idle keep-alive connections (no byte of a next request yet) are left to the idle
 * timeout; a body trickled after complete headers is the servlet's to bound. HTTP/2 and
 * connections still in their TLS handshake are not looked at.
 */
public final class HeaderDeadline extends AbstractLifeCycle {

  private static final Logger LOG = LoggerFactory.getLogger(HeaderDeadline.class);
  /** Sweeps at most this often, and at least four times per timeout. */
  static final Duration MIN_SWEEP = Duration.ofMillis(50);
  static final Duration MAX_SWEEP = Duration.ofSeconds(1);

  private final Server jetty;
  private final long timeoutNanos;
  private final long sweepMillis;
  private final Runnable onTimeout;
  /** When each connection was first seen receiving headers; rebuilt by each sweep. */
  private Map<EndPoint, Long> receiving = new HashMap<>();
  private volatile Scheduler.Task next;

  /**
   * @param jetty     the server whose connectors are swept
   * @param timeout   the longest a request's headers may take
   * @param onTimeout called once per connection closed (a meter)
   */
  public HeaderDeadline(Server jetty, Duration timeout, Runnable onTimeout) {
    this.jetty = jetty;
    this.timeoutNanos = timeout.toNanos();
    long quarter = timeout.toMillis() / 4;
    this.sweepMillis = Math.max(MIN_SWEEP.toMillis(), Math.min(MAX_SWEEP.toMillis(), quarter));
    this.onTimeout = onTimeout;
  }

  @Override
  protected void doStart() {
    schedule();
  }

  @Override
  protected void doStop() {
    Scheduler.Task task = next;
    if (task != null) {
      task.cancel();
    }
  }

  private void schedule() {
    if (isRunning() || isStarting()) {
      next = jetty.getScheduler().schedule(this::sweep, sweepMillis, TimeUnit.MILLISECONDS);
    }
  }

  /** Scheduler thread. */
  private synchronized void sweep() {
    try {
      long now = System.nanoTime();
      Map<EndPoint, Long> still = new HashMap<>();
      for (Connector connector : jetty.getConnectors()) {
        for (EndPoint endPoint : connector.getConnectedEndPoints()) {
          HttpParser parser = parser(endPoint.getConnection());
          if (parser == null || !receivingHeaders(parser)) {
            continue;
          }
          long since = receiving.getOrDefault(endPoint, now);
          if (now - since < timeoutNanos) {
            still.put(endPoint, since);
            continue;
          }
          LOG.debug("remote={} request headers not received within {} ms: closing",
              endPoint.getRemoteSocketAddress(), TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
          endPoint.close(new TimeoutException("request headers not received within "
              + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"));
          onTimeout.run();
        }
      }
      receiving = still;
    } catch (RuntimeException e) {
      LOG.warn("header deadline sweep failed", e);
    } finally {
      schedule();
    }
  }

  /** Past the first byte of a request and not yet past its headers. */
  static boolean receivingHeaders(HttpParser parser) {
    return parser.inHeaderState() && !parser.isStart();
  }

  /** The HTTP/1.1 parser of a connection, under TLS or not; null for any other protocol. */
  private static HttpParser parser(Connection connection) {
    if (connection instanceof SslConnection tls) {
      connection = tls.getSslEndPoint().getConnection();
    }
    return connection instanceof HttpConnection http ? http.getParser() : null;
  }
}
