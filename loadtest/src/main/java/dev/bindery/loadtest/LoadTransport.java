package dev.bindery.loadtest;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Thread-safe: shared by all sessions of a load run. The client side of the run's HTTP: hands
 * each simulated user a {@link Session} of its own, over HTTP/1.1 ({@link NettyBoshTransport})
 * or HTTP/2 ({@link H2cBoshTransport}).
 */
interface LoadTransport {

  /** Round trips of the requests and opened connections, reported as they happen. */
  interface Observer {
    /** Called on the session's event loop when a response (of any status) arrived. */
    void onRoundTrip(String requestBody, long nanos);

    /** Called on an event loop when a TCP connection to the endpoint is established. */
    void onConnectionOpened();
  }

  /** Confined to its event loop. One simulated user's transport. */
  interface Session extends BoshTransport {
    /** The event loop the session's work and its callbacks run on. */
    EventLoop loop();

    /** Ends the session's exchanges: a request still in flight fails. */
    void close();
  }

  /**
   * Confined to its event loop. The part every session shares: its work moves to its loop, from
   * whichever thread asks.
   */
  abstract class LoopSession implements Session {
    private final EventLoop loop;

    protected LoopSession(EventLoop loop) {
      this.loop = loop;
    }

    @Override
    public final EventLoop loop() {
      return loop;
    }

    @Override
    public final CompletableFuture<String> post(String body, Duration timeout) {
      CompletableFuture<String> result = new CompletableFuture<>();
      if (loop.inEventLoop()) {
        start(body, timeout, result);
      } else {
        loop.execute(() -> start(body, timeout, result));
      }
      return result;
    }

    @Override
    public final void close() {
      if (loop.inEventLoop()) {
        closeNow();
      } else {
        loop.execute(this::closeNow);
      }
    }

    /** On the loop: sends {@code body}; {@code result} completes with the answer. */
    protected abstract void start(String body, Duration timeout, CompletableFuture<String> result);

    /** On the loop: ends the session's exchanges. */
    protected abstract void closeNow();
  }

  /** A transport for one session whose work runs on {@code loop}. */
  Session newSession(EventLoop loop);

  /** The HTTP version on the wire, as the report names it: {@code 1.1} or {@code 2}. */
  String httpVersion();

  /** Closes the connections shared between sessions, if any. */
  void close();
}
