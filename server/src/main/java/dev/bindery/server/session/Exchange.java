package dev.bindery.server.session;

import dev.bindery.protocol.body.Body;

/**
 * A client's request waiting for its answer: the edge between a session and the transport that
 * carried the request. The session knows nothing else of the transport; the BOSH servlet's
 * suspended HTTP exchange ({@code dev.bindery.server.http.ServletExchange}) is one.
 *
 * <p>Implementations are thread-safe and answered at most once: the session answers from its
 * event loop, while the transport may find its client gone at any time; whichever comes first
 * wins, and the other call does nothing.
 */
public interface Exchange {

  /** The client's address, as trusted proxies name it: for logs, limits and PROXY headers. */
  String clientAddress();

  /** Whether the request came over an encrypted connection (XEP-0124 §19). */
  boolean secure();

  /** {@link System#nanoTime()} when the request arrived, for relay latency. */
  long arrivalNanos();

  /**
   * Answers with {@code body}, in the session's legacy form and content type if it has them.
   * Returns false if the exchange was already answered or abandoned.
   */
  boolean respond(Body body, boolean legacy, String contentType);

  /**
   * Ends the exchange without an answer, as if the connection had failed (XEP-0124 §19: an
   * insecure request in a secure session); the session and the request's rid are untouched.
   */
  void drop();
}
