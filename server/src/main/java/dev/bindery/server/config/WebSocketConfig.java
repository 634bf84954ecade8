package dev.bindery.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable. XMPP over WebSocket (RFC 7395) beside BOSH, on the same listeners.
 *
 * @param enabled      whether {@link #path()} accepts WebSocket upgrades
 * @param path         where clients open the WebSocket, e.g. {@code /xmpp-websocket}
 * @param pingInterval how often a WebSocket ping goes to each client
 * @param idleTimeout  how long a client may stay silent (no message, no pong) before its socket
 *                     and its server stream close
 */
public record WebSocketConfig(boolean enabled, String path, Duration pingInterval,
    Duration idleTimeout) {

  public static final String DEFAULT_PATH = "/xmpp-websocket";
  public static final WebSocketConfig DEFAULTS = new WebSocketConfig(true, DEFAULT_PATH,
      Duration.ofSeconds(30), Duration.ofSeconds(90));

  public WebSocketConfig {
    Objects.requireNonNull(path, "path");
    if (!path.startsWith("/") || path.contains("*")) {
      throw new IllegalArgumentException("invalid WebSocket path: " + path
          + " (expected: an absolute path such as " + DEFAULT_PATH + ")");
    }
    if (pingInterval.isNegative() || pingInterval.isZero()) {
      throw new IllegalArgumentException("invalid ping interval: " + pingInterval);
    }
    if (idleTimeout.compareTo(pingInterval) <= 0) {
      throw new IllegalArgumentException("the idle timeout (" + idleTimeout
          + ") must be longer than the ping interval (" + pingInterval + ")");
    }
  }
}
