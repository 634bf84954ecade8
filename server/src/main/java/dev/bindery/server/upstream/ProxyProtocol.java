package dev.bindery.server.upstream;

import java.util.Locale;

/**
 * Immutable. Whether a connection to the XMPP server starts with a PROXY protocol header carrying
 * the HTTP client's address, so that the server sees the browser's IP rather than Bindery's.
 */
public enum ProxyProtocol {
  NONE, V1, V2;

  /** Reads {@code none}, {@code v1} or {@code v2}. */
  public static ProxyProtocol parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid proxy-protocol: " + value + " (expected: none, v1 or v2)", e);
    }
  }

  /** The name as configuration writes it. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
