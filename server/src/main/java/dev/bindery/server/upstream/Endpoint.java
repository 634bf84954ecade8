package dev.bindery.server.upstream;

import io.netty.util.NetUtil;
import java.util.Locale;
import java.util.Objects;

/**
 * Immutable. A host (name or IP literal, without brackets) and a TCP port.
 *
 * @param host a DNS name or an IP address
 * @param port 1 ~ 65535
 */
public record Endpoint(String host, int port) {

  public Endpoint {
    Objects.requireNonNull(host, "host");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("empty host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("invalid port: " + port + " (expected: 1 ~ 65535)");
    }
    host = host.toLowerCase(Locale.ROOT);
    if (!NetUtil.isValidIpV4Address(host) && !NetUtil.isValidIpV6Address(host)
        && !DomainNames.valid(host)) {
      throw new IllegalArgumentException("invalid host: " + host
          + " (expected: a DNS name or an IP address)");
    }
  }

  /** Reads {@code host:port} or {@code [v6]:port}. */
  public static Endpoint parse(String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException("invalid address: " + value + " (expected: host:port)");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException(
          "invalid address: " + value + " (expected: host:port, [ipv6]:port)");
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid address: " + value + " (expected: host:port)",
          e);
    }
    return new Endpoint(host, port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
