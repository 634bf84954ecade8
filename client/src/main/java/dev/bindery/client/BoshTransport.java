package dev.bindery.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Thread-safe: shared by all sessions. Carries one request body to the connection manager and
 * brings back the response entity.
 */
public interface BoshTransport {

  /**
   * POSTs {@code body} and completes with the entity of a 200 response. It completes exceptionally
   * with a {@link BoshException} of kind {@link BoshException.Kind#HTTP_STATUS} for any other
   * status, and with an {@link java.io.IOException} if the exchange fails or takes longer than
   * {@code timeout}.
   */
  CompletableFuture<String> post(String body, Duration timeout);
}
