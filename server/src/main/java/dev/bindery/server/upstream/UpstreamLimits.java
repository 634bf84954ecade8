package dev.bindery.server.upstream;

import dev.bindery.protocol.body.BodyLimits;

/**
 * Immutable. Time and size bounds on the connections to XMPP servers.
 *
 * @param connectTimeoutMillis      TCP connect, per address tried
 * @param tlsHandshakeTimeoutMillis TLS handshake, direct or after STARTTLS
 * @param featuresTimeoutMillis     from the first byte sent until the server's stream features
 *                                  (after TLS, if any)
 * @param maxServerStanzaChars      largest element the server may send, characters
 * @param maxClientStanzaChars      largest element a client may send, characters; beyond it the
 *                                  session ends with {@code policy-violation}
 * @param maxBufferedBytes          bytes from the server a session may hold for its client;
 *                                  reading from the server stops beyond it (TCP backpressure)
 */
public record UpstreamLimits(
    int connectTimeoutMillis,
    int tlsHandshakeTimeoutMillis,
    int featuresTimeoutMillis,
    int maxServerStanzaChars,
    int maxClientStanzaChars,
    int maxBufferedBytes) {

  public static final int DEFAULT_CONNECT_TIMEOUT_MILLIS = 10_000;
  public static final int DEFAULT_TLS_HANDSHAKE_TIMEOUT_MILLIS = 10_000;
  public static final int DEFAULT_FEATURES_TIMEOUT_MILLIS = 15_000;
  public static final int DEFAULT_MAX_SERVER_STANZA_CHARS = BodyLimits.ONE_MIB;
  public static final int DEFAULT_MAX_CLIENT_STANZA_CHARS = 256 * 1024;
  public static final int DEFAULT_MAX_BUFFERED_BYTES = BodyLimits.ONE_MIB;

  public static final UpstreamLimits DEFAULTS = new UpstreamLimits(
      DEFAULT_CONNECT_TIMEOUT_MILLIS, DEFAULT_TLS_HANDSHAKE_TIMEOUT_MILLIS,
      DEFAULT_FEATURES_TIMEOUT_MILLIS, DEFAULT_MAX_SERVER_STANZA_CHARS,
      DEFAULT_MAX_CLIENT_STANZA_CHARS, DEFAULT_MAX_BUFFERED_BYTES);

  public UpstreamLimits {
    positive("connect timeout", connectTimeoutMillis);
    positive("TLS handshake timeout", tlsHandshakeTimeoutMillis);
    positive("features timeout", featuresTimeoutMillis);
    positive("max server stanza size", maxServerStanzaChars);
    positive("max client stanza size", maxClientStanzaChars);
    positive("max buffered bytes", maxBufferedBytes);
  }

  public UpstreamLimits withConnectTimeoutMillis(int millis) {
    return new UpstreamLimits(millis, tlsHandshakeTimeoutMillis, featuresTimeoutMillis,
        maxServerStanzaChars, maxClientStanzaChars, maxBufferedBytes);
  }

  public UpstreamLimits withTlsHandshakeTimeoutMillis(int millis) {
    return new UpstreamLimits(connectTimeoutMillis, millis, featuresTimeoutMillis,
        maxServerStanzaChars, maxClientStanzaChars, maxBufferedBytes);
  }

  public UpstreamLimits withFeaturesTimeoutMillis(int millis) {
    return new UpstreamLimits(connectTimeoutMillis, tlsHandshakeTimeoutMillis, millis,
        maxServerStanzaChars, maxClientStanzaChars, maxBufferedBytes);
  }

  public UpstreamLimits withMaxClientStanzaChars(int chars) {
    return new UpstreamLimits(connectTimeoutMillis, tlsHandshakeTimeoutMillis,
        featuresTimeoutMillis, maxServerStanzaChars, chars, maxBufferedBytes);
  }

  public UpstreamLimits withMaxBufferedBytes(int bytes) {
    return new UpstreamLimits(connectTimeoutMillis, tlsHandshakeTimeoutMillis,
        featuresTimeoutMillis, maxServerStanzaChars, maxClientStanzaChars, bytes);
  }

  private static void positive(String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException("invalid " + what + ": " + value + " (expected: >= 1)");
    }
  }
}
