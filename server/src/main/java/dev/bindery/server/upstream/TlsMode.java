package dev.bindery.server.upstream;

import java.util.Locale;

/** Immutable. How a domain's connections to its XMPP server are encrypted. */
public enum TlsMode {
  /**
   * STARTTLS, verified, or no session (the default). With SRV, {@code _xmpps-client} targets are
   * tried with direct TLS too (XEP-0368).
   */
  REQUIRED,
  /** STARTTLS, verified, when the server offers it; plain TCP when it does not. */
  OPTIONAL,
  /** Direct TLS from the first byte (XEP-0368), verified. */
  DIRECT,
  /** Plain TCP; for a server on loopback or a trusted network only. */
  NONE;

  /** Reads {@code required}, {@code optional}, {@code direct} or {@code none}. */
  public static TlsMode parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid tls: " + value + " (expected: required, optional, direct or none)", e);
    }
  }

  /** The name as configuration writes it. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
