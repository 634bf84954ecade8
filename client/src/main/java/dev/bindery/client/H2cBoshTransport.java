package dev.bindery.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread-safe: the factory is shared by all sessions; each {@link Session} it makes is confined
 * to its event loop, each {@link Lane} to another (or the same) one. An HTTP/2 client on Netty
 * for thousands of BOSH sessions over a few shared connections: cleartext with prior knowledge
 * (h2c, RFC 9113 §3.3), the client's connection preface first, no {@code Upgrade}.
 *
 * <p>The transport has {@code connections} lanes; a session is given one, round robin, when it
 * is created. Each BOSH request is one stream of its lane's connection: a POST whose body goes
 * in one DATA frame with END_STREAM. Held requests of many sessions are open streams on the same
 * connection at once.
 *
 * <p>A server limits the streams open at once on a connection (SETTINGS_MAX_CONCURRENT_STREAMS,
 * RFC 9113 §5.1.2). Queueing the streams beyond the limit would not do for BOSH: the held
 * requests of a lane's sessions would fill the connection for {@code wait} seconds while the
 * requests that release them queue behind. So a lane whose connections are full opens one more
 * beside them: a lane is a connection, and as many more as its held requests need. A connection
 * carries streams only once the server's first SETTINGS frame told its limit.
 *
 * <pre>
 *   session loop                     lane loop
 *   post ------execute(submit)-----&gt; queue --&gt; a connection with room (or a new one) --&gt; stream
 *   complete &lt;--execute(deliver)---- response, reset, GOAWAY or timeout
 * </pre>
 *
 * <p>Shared connections are what a reverse proxy's HTTP/2 backend looks like to the server, so
 * each session's requests name a client of their own in {@code X-Forwarded-For}, the next of the
 * source addresses, as the proxy would (a server that trusts the generator's address as a proxy
 * then applies its per-address limits per session, not per connection).
 *
 * <p>A stream the server did not process (above a GOAWAY's last stream id, or refused with
 * REFUSED_STREAM, RFC 9113 §8.7) is sent again, once, on another connection of its lane. Any
 * other stream that ends without a response fails with an {@link IOException}: a GOAWAY that
 * ends a connection with held requests on it fails them, and BOSH resends them (XEP-0124 §14.3).
 */
public final class H2cBoshTransport implements EventLoopTransport {

  /** Lanes, each one connection unless the server's stream limit asks for more. */
  public static final int DEFAULT_CONNECTIONS = 4;

  private final URI endpoint;
  private final Observer observer;
  private final List<Lane> lanes = new ArrayList<>();
  private final AtomicInteger nextLane = new AtomicInteger();
  private final List<String> clientAddresses;
  private final AtomicInteger nextClient = new AtomicInteger();

  /**
   * A transport to {@code endpoint} ({@code http://host:port/path}) with {@code connections}
   * lanes. Connections bind to {@code sourceAddresses} in turn (none: any), and each session's
   * requests carry the next of them in {@code X-Forwarded-For}; {@code bootstrap} gives the event
   * loop group and channel type.
   */
  public H2cBoshTransport(URI endpoint, List<String> sourceAddresses, Bootstrap bootstrap,
      Observer observer, int connections) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    if (!"http".equalsIgnoreCase(endpoint.getScheme()) || endpoint.getHost() == null) {
      throw new IllegalArgumentException(
          "invalid BOSH URL: " + endpoint + " (expected: http://host:port/path)");
    }
    if (connections < 1) {
      throw new IllegalArgumentException(
          "connections: " + connections + " (expected: 1 or more)");
    }
    this.observer = Objects.requireNonNull(observer, "observer");
    this.clientAddresses = List.copyOf(sourceAddresses);
    List<InetSocketAddress> sources = new ArrayList<>();
    for (String source : sourceAddresses) {
      sources.add(new InetSocketAddress(source, 0));
    }
    H2cConnection.Factory factory = new H2cConnection.Factory(endpoint, sources, bootstrap,
        observer);
    for (int i = 0; i < connections; i++) {
      lanes.add(new Lane(bootstrap.config().group().next(), factory));
    }
  }

  URI endpoint() {
    return endpoint;
  }

  @Override
  public Session newSession(EventLoop loop) {
    String client = clientAddresses.isEmpty() ? null : clientAddresses.get(
        Math.floorMod(nextClient.getAndIncrement(), clientAddresses.size()));
    return new Session(loop, lanes.get(Math.floorMod(nextLane.getAndIncrement(), lanes.size())),
        client);
  }

  @Override
  public String httpVersion() {
    return "2";
  }

  @Override
  public void close() {
    for (Lane lane : lanes) {
      lane.loop.execute(lane::closeAll);
    }
  }

  /**
   * One request, from its submission to its answer. The final fields are set on the session's
   * loop before it is handed over; the others are confined to the lane's loop.
   */
  static final class Exchange {
    final Session session;
    final String body;
    final Duration timeoutAfter;
    final long startNanos;
    final CompletableFuture<String> result;
    ScheduledFuture<?> timeout;
    /** The stream, once opened; closing it resets the stream. */
    Channel stream;
    boolean done;
    boolean retried;
    /** The server did not process it: safe to send again (RFC 9113 §8.7). */
    boolean unprocessed;

    Exchange(Session session, String body, Duration timeoutAfter, long startNanos,
        CompletableFuture<String> result) {
      this.session = session;
      this.body = body;
      this.timeoutAfter = timeoutAfter;
      this.startNanos = startNanos;
      this.result = result;
    }
  }

  /**
   * Confined to its event loop. One of the shared connections, and the further connections its
   * streams overflowed to; requests wait in {@code queue} until a connection has room.
   */
  final class Lane {
    final EventLoop loop;
    private final H2cConnection.Factory factory;
    private final List<H2cConnection> connections = new ArrayList<>();
    private final ArrayDeque<Exchange> queue = new ArrayDeque<>();

    Lane(EventLoop loop, H2cConnection.Factory factory) {
      this.loop = loop;
      this.factory = factory;
    }

    /** Takes a request from a session. */
    void submit(Exchange exchange) {
      exchange.timeout = loop.schedule(() -> timedOut(exchange),
          exchange.timeoutAfter.toNanos(), TimeUnit.NANOSECONDS);
      queue.add(exchange);
      dispatch();
    }

    /**
     * Puts waiting requests on connections with room; opens one more connection if none has,
     * and none is still waiting for the server's SETTINGS.
     */
    void dispatch() {
      while (!queue.isEmpty()) {
        H2cConnection room = null;
        boolean starting = false;
        for (H2cConnection c : connections) {
          if (c.hasRoom()) {
            room = c;
            break;
          }
          starting |= c.isStarting();
        }
        if (room == null) {
          if (!starting) {
            H2cConnection c = factory.newConnection(this);
            connections.add(c);
            c.connect();
          }
          return;
        }
        room.open(queue.poll());
      }
    }

    /** A connection could not carry any stream: the requests waiting for one fail. */
    void failed(H2cConnection connection, IOException cause) {
      connections.remove(connection);
      if (connections.stream().noneMatch(H2cConnection::isStarting)) {
        for (Exchange e; (e = queue.poll()) != null; ) {
          fail(e, cause);
        }
      }
    }

    /** A connection closed, or takes no more streams (GOAWAY). */
    void gone(H2cConnection connection) {
      connections.remove(connection);
      dispatch();
    }

    /** A stream ended without a response; {@code cause} says how. */
    void ended(Exchange exchange, IOException cause) {
      exchange.stream = null;
      if (exchange.done) {
        return;
      }
      if (exchange.unprocessed && !exchange.retried && !exchange.session.closed) {
        exchange.retried = true;
        exchange.unprocessed = false;
        queue.addFirst(exchange);
        dispatch();
        return;
      }
      fail(exchange, cause);
    }

    /** A response arrived on the exchange's stream. */
    void answered(Exchange exchange, int status, String entity) {
      if (exchange.done) {
        return;
      }
      exchange.done = true;
      exchange.timeout.cancel(false);
      long nanos = System.nanoTime() - exchange.startNanos;
      exchange.session.deliver(exchange, () -> {
        observer.onRoundTrip(exchange.body, nanos);
        if (status != 200) {
          exchange.result.completeExceptionally(new BoshException(
              BoshException.Kind.HTTP_STATUS, Integer.toString(status),
              "HTTP " + status + " from " + endpoint));
        } else {
          exchange.result.complete(entity);
        }
      });
    }

    void cancel(Exchange exchange, IOException cause) {
      fail(exchange, cause);
    }

    private void timedOut(Exchange exchange) {
      fail(exchange, new IOException(
          "no response within " + exchange.timeoutAfter.toSeconds() + " s"));
    }

    private void fail(Exchange exchange, IOException cause) {
      if (exchange.done) {
        return;
      }
      exchange.done = true;
      exchange.timeout.cancel(false);
      queue.remove(exchange);
      if (exchange.stream != null) {
        exchange.stream.close();
      }
      exchange.session.deliver(exchange, () -> exchange.result.completeExceptionally(cause));
    }

    void closeAll() {
      for (H2cConnection c : List.copyOf(connections)) {
        c.close();
      }
      connections.clear();
    }
  }

  /** Confined to its event loop. One BOSH session: its requests go to its lane. */
  final class Session extends LoopSession {
    private final Lane lane;
    /** The client address its requests name in X-Forwarded-For, or null. */
    final String forwardedFor;
    /** Requests handed to the lane and not yet answered. */
    private final Set<Exchange> inFlight = new HashSet<>();
    /** Written on the session's loop; the lane only reads it to decide on a resend. */
    private volatile boolean closed;

    private Session(EventLoop loop, Lane lane, String forwardedFor) {
      super(loop);
      this.lane = lane;
      this.forwardedFor = forwardedFor;
    }

    /** Resets the session's streams; its requests in flight fail. */
    @Override
    protected void closeNow() {
      closed = true;
      for (Exchange exchange : List.copyOf(inFlight)) {
        lane.loop.execute(() -> lane.cancel(exchange, new IOException("transport closed")));
      }
    }

    @Override
    protected void start(String body, Duration timeout, CompletableFuture<String> result) {
      if (closed) {
        result.completeExceptionally(new IOException("transport closed"));
        return;
      }
      Exchange exchange = new Exchange(this, body, timeout, System.nanoTime(), result);
      inFlight.add(exchange);
      if (lane.loop.inEventLoop()) {
        lane.submit(exchange);
      } else {
        lane.loop.execute(() -> lane.submit(exchange));
      }
    }

    /** From the lane's loop: runs {@code completion} of {@code exchange} on this session's. */
    void deliver(Exchange exchange, Runnable completion) {
      Runnable task = () -> {
        inFlight.remove(exchange);
        completion.run();
      };
      if (loop().inEventLoop()) {
        task.run();
      } else {
        loop().execute(task);
      }
    }
  }
}
