package dev.bindery.server.config;

import java.util.Objects;

/**
 * Immutable. A TCP address as configured, e.g. {@code 127.0.0.1:5222} or {@code [::1]:5222}.
 *
 * @param host a host name or IP address, without brackets
 * @param port 1 ~ 65535
 */
public record HostPort(String host, int port) {

  public HostPort {
    Objects.requireNonNull(host, "host");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("empty host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("invalid port: " + port + " (expected: 1 ~ 65535)");
    }
  }

  /** Parses {@code host:port}; IPv6 addresses in brackets. */
  public static HostPort parse(String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException("invalid address: " + value + " (expected: host:port)");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException(
          "invalid address: " + value + " (expected: [ipv6]:port for an IPv6 address)");
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid port in " + value + " (expected: 1 ~ 65535)");
    }
    return new HostPort(host, port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
