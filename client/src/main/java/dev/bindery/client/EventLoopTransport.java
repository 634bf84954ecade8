package dev.bindery.client;

import io.netty.channel.EventLoop;

/**
 * Thread-safe: shared by many BOSH sessions. An HTTP client on Netty event loops that hands each
 * session a {@link Session} of its own, over HTTP/1.1 ({@link NettyBoshTransport}) or HTTP/2
 * ({@link H2cBoshTransport}): the session's requests, their callbacks and the session's
 * {@link BoshClient} all run on one event loop, so thousands of sessions need no thread each.
 */
public interface EventLoopTransport {

  /**
   * Round trips of the requests and opened connections, reported as they happen (a load
   * generator's metrics). Its methods must not block.
   */
  interface Observer {
    /** Called on the session's event loop when a response (of any status) arrived. */
    void onRoundTrip(String requestBody, long nanos);

    /** Called on an event loop when a TCP connection to the endpoint is established. */
    void onConnectionOpened();
  }

  /** Confined to its event loop. One BOSH session's transport. */
  interface Session extends BoshTransport {
    /** The event loop the session's work and its callbacks run on. */
    EventLoop loop();

    /** Ends the session's exchanges: a request still in flight fails. */
    void close();
  }

  /** A transport for one session whose work runs on {@code loop}. */
  Session newSession(EventLoop loop);

  /** The HTTP version on the wire: {@code 1.1} or {@code 2}. */
  String httpVersion();

  /** Closes the connections shared between sessions, if any. */
  void close();
}
