package dev.bindery.server.websocket;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confined to the stream's event loop. The client's end of one XMPP stream over WebSocket:
 * Jetty's {@link Session} with what the relay needs around it: messages out with the characters
 * not yet written (backpressure towards the server), one client message read at a time, pings
 * and the silence that ends a client, and a closing handshake that cannot hang.
 */
final class ClientSocket {

  private static final Logger LOG = LoggerFactory.getLogger(ClientSocket.class);

  /** After Bindery's close frame or its {@code <close/>} answer, how long the client has. */
  static final long CLOSE_GRACE_MILLIS = 5_000;

  /** What the relay learns from the socket, on the loop. */
  interface Events {
    /** Fewer characters wait to go out than the bound: reading the server may go on. */
    void drained();

    /** The client has sent nothing, not even a pong, for the idle timeout. */
    void silent(Duration silence);
  }

  private final String id;
  private final EventLoop loop;
  private final Duration pingInterval;
  private final Duration idleTimeout;
  private final int maxPendingChars;
  private final Events events;
  private Session session;
  /** Characters handed to Jetty and not yet written to the client. */
  private long pendingChars;
  private long lastHeardNanos;
  private ScheduledFuture<?> pinger;
  private ScheduledFuture<?> closeDeadline;
  private boolean ended;

  ClientSocket(String id, EventLoop loop, Duration pingInterval, Duration idleTimeout,
      int maxPendingChars, Events events) {
    this.id = id;
    this.loop = loop;
    this.pingInterval = pingInterval;
    this.idleTimeout = idleTimeout;
    this.maxPendingChars = maxPendingChars;
    this.events = events;
  }

  /** The connection is up: ping it from now on, and read its first message. */
  void opened(Session session) {
    this.session = session;
    heard();
    long interval = pingInterval.toMillis();
    pinger = loop.scheduleAtFixedRate(this::ping, interval, interval, TimeUnit.MILLISECONDS);
    session.demand();
  }

  /** The client sent something: a message, a ping or a pong. */
  void heard() {
    lastHeardNanos = System.nanoTime();
  }

  /** Reads the client's next message (RFC 6455 frames come only when asked for). */
  void demand() {
    if (session != null && !ended) {
      session.demand();
    }
  }

  /** One text message (RFC 7395 §3.3.3: one element each), in order. */
  void send(String text) {
    if (session == null || ended) {
      return;
    }
    int length = text.length();
    pendingChars += length;
    session.sendText(text, Callback.from(() -> loop.execute(() -> sent(length)),
        failure -> loop.execute(() -> sent(length))));
  }

  /** True while fewer characters wait to go out than the bound. */
  boolean hasRoom() {
    return !ended && pendingChars < maxPendingChars;
  }

  /**
   * Starts the closing handshake (after what was sent); a client that does not answer within
   * {@link #CLOSE_GRACE_MILLIS} is disconnected.
   */
  void close(int statusCode, String reason) {
    if (session == null || ended) {
      return;
    }
    session.close(statusCode, reason, Callback.NOOP);
    awaitClose();
  }

  /** The client is to close now (it sent {@code <close/>} and got ours): it has a deadline. */
  void awaitClose() {
    if (closeDeadline == null && !ended) {
      closeDeadline = loop.schedule(this::disconnect, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** The connection is gone: no more pings, no deadline. */
  void ended() {
    ended = true;
    if (pinger != null) {
      pinger.cancel(false);
    }
    if (closeDeadline != null) {
      closeDeadline.cancel(false);
    }
  }

  private void sent(int length) {
    pendingChars -= length;
    if (pendingChars < maxPendingChars) {
      events.drained();
    }
  }

  /** Each ping interval: a ping, or the news that the client has gone silent. */
  private void ping() {
    if (ended) {
      return;
    }
    Duration silence = Duration.ofNanos(System.nanoTime() - lastHeardNanos);
    if (silence.compareTo(idleTimeout) > 0) {
      if (closeDeadline != null) {
        disconnect(); // closing already, and not answering that either
      } else {
        events.silent(silence);
      }
      return;
    }
    session.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
  }

  private void disconnect() {
    if (!ended && session != null) {
      LOG.debug("ws={} the client did not close in time: disconnecting", id);
      session.disconnect();
    }
  }
}
