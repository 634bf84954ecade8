package dev.bindery.server.config;

import java.util.Objects;

/**
 * Immutable. The admin listener: {@code /metrics}, {@code /health/live}, {@code /health/ready}.
 *
 * @param bind address it binds; loopback by default, since metrics are not for the public
 * @param port TCP port; 0 picks a free one
 */
public record AdminConfig(String bind, int port) {

  public static final String DEFAULT_BIND = "127.0.0.1";
  public static final int DEFAULT_PORT = 9280;
  public static final AdminConfig DEFAULTS = new AdminConfig(DEFAULT_BIND, DEFAULT_PORT);

  public AdminConfig {
    Objects.requireNonNull(bind, "bind");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("invalid port: " + port + " (expected: 0 ~ 65535)");
    }
  }
}
