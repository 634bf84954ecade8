package dev.bindery.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Immutable. The BOSH listeners: where they bind, who may call them, and which proxies in front
 * name the client.
 *
 * @param bind           address the HTTP (and HTTPS) listener binds
 * @param port           HTTP port; 0 picks a free one
 * @param allowedOrigins CORS origins allowed to call {@code /http-bind}; {@code *} allows any
 * @param trustedProxies addresses or CIDR blocks of reverse proxies whose {@code Forwarded} and
 *                       {@code X-Forwarded-For} headers name the client; empty: headers ignored
 * @param https          Bindery's own HTTPS listener, or {@link HttpsConfig#DISABLED}
 * @param http2          HTTP/2 on the listeners, beside HTTP/1.1
 * @param webRoot        a directory of static files served at {@code /}, or null for none
 * @param headerTimeout  the longest an HTTP/1.1 request's headers may take to arrive, from its
 *                       first byte; a connection still receiving them then is closed
 */
public record HttpConfig(String bind, int port, List<String> allowedOrigins,
    List<String> trustedProxies, HttpsConfig https, Http2Config http2, Path webRoot,
    Duration headerTimeout) {

  public static final String DEFAULT_BIND = "127.0.0.1";
  /** IANA's {@code xmpp-bosh}. */
  public static final int DEFAULT_PORT = 5280;
  public static final List<String> DEFAULT_ALLOWED_ORIGINS = List.of("*");
  /**
   * A reverse proxy on the same host (nginx in front, as most installs have it) names the client;
   * otherwise every user would share its address, and the per-IP limit with it.
   */
  public static final List<String> DEFAULT_TRUSTED_PROXIES = List.of("127.0.0.0/8", "::1");

  /**
   * A browser or a proxy sends a request's headers in one packet; a client still sending them
   * after 15 s is trickling them (HAProxy's {@code timeout http-request} is often 10 s).
   */
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(15);

  public static final HttpConfig DEFAULTS = new HttpConfig(DEFAULT_BIND, DEFAULT_PORT,
      DEFAULT_ALLOWED_ORIGINS, DEFAULT_TRUSTED_PROXIES, HttpsConfig.DISABLED,
      Http2Config.DEFAULTS, null, DEFAULT_HEADER_TIMEOUT);

  /** Without a web root, with the default header timeout. */
  public HttpConfig(String bind, int port, List<String> allowedOrigins,
      List<String> trustedProxies, HttpsConfig https, Http2Config http2) {
    this(bind, port, allowedOrigins, trustedProxies, https, http2, null,
        DEFAULT_HEADER_TIMEOUT);
  }

  /** The same listeners, serving the static files of {@code root} (null: none). */
  public HttpConfig withWebRoot(Path root) {
    return new HttpConfig(bind, port, allowedOrigins, trustedProxies, https, http2, root,
        headerTimeout);
  }

  public HttpConfig {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(https, "https");
    Objects.requireNonNull(http2, "http2");
    if (headerTimeout.isNegative() || headerTimeout.isZero()) {
      throw new IllegalArgumentException("invalid header timeout: " + headerTimeout
          + " (expected: > 0)");
    }
    allowedOrigins = List.copyOf(allowedOrigins);
    trustedProxies = List.copyOf(trustedProxies);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("invalid port: " + port + " (expected: 0 ~ 65535)");
    }
  }
}
