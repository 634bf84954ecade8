package dev.bindery.server;

import dev.bindery.protocol.body.BodyLimits;
import dev.bindery.protocol.session.SessionLimits;
import dev.bindery.server.upstream.Endpoint;
import dev.bindery.server.upstream.UpstreamPolicy;
import java.util.List;
import java.util.Objects;

/**
 * Immutable. Everything the server needs to start: the HTTP listener and the upstream XMPP server.
 *
 * @param bind           address the HTTP listener binds
 * @param port           HTTP port; 0 picks a free one
 * @param upstreamHost   host of the XMPP server's client-to-server listener
 * @param upstreamPort   port of the XMPP server's client-to-server listener
 * @param domains        XMPP domains this connection manager serves
 * @param allowedOrigins CORS origins allowed to call {@code /http-bind}; {@code *} allows any
 * @param sessionLimits  the wait, hold and inactivity bounds offered to sessions
 * @param bodyLimits     how much a client may put in one request
 * @param upstreams      per-domain upstream servers, TLS and allowlists; null: every domain is
 *                       relayed to {@code upstreamHost:upstreamPort} over plain TCP (see {@link
 *                       #upstreamPolicy()})
 * @param trustedProxies addresses or CIDR blocks of reverse proxies whose {@code Forwarded} and
 *                       {@code X-Forwarded-For} headers name the client; empty: headers ignored
 */
public record ServerConfig(
    String bind,
    int port,
    String upstreamHost,
    int upstreamPort,
    List<String> domains,
    List<String> allowedOrigins,
    SessionLimits sessionLimits,
    BodyLimits bodyLimits,
    UpstreamPolicy upstreams,
    List<String> trustedProxies) {

  public static final String DEFAULT_BIND = "127.0.0.1";
  public static final int DEFAULT_PORT = 5280;
  public static final String DEFAULT_UPSTREAM_HOST = "127.0.0.1";
  public static final int DEFAULT_UPSTREAM_PORT = 5222;
  public static final List<String> DEFAULT_DOMAINS = List.of("localhost");
  public static final List<String> DEFAULT_ALLOWED_ORIGINS = List.of("*");

  public ServerConfig {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(upstreamHost, "upstreamHost");
    Objects.requireNonNull(sessionLimits, "sessionLimits");
    Objects.requireNonNull(bodyLimits, "bodyLimits");
    if (upstreams != null) {
      domains = upstreams.domainNames();
    }
    domains = List.copyOf(domains);
    trustedProxies = List.copyOf(trustedProxies);
    allowedOrigins = List.copyOf(allowedOrigins);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("invalid port: " + port + " (expected: 0 ~ 65535)");
    }
    if (upstreamPort < 1 || upstreamPort > 65535) {
      throw new IllegalArgumentException(
          "invalid upstream port: " + upstreamPort + " (expected: 1 ~ 65535)");
    }
    if (domains.isEmpty()) {
      throw new IllegalArgumentException("no domain configured");
    }
  }

  /** The defaults: listen on 127.0.0.1:5280, relay {@code localhost} to 127.0.0.1:5222. */
  public static ServerConfig defaults() {
    return new ServerConfig(DEFAULT_BIND, DEFAULT_PORT, DEFAULT_UPSTREAM_HOST,
        DEFAULT_UPSTREAM_PORT, DEFAULT_DOMAINS, DEFAULT_ALLOWED_ORIGINS,
        SessionLimits.DEFAULTS.withAccept("gzip,deflate"),
        BodyLimits.DEFAULTS, null, List.of());
  }

  public ServerConfig withPort(int port) {
    return new ServerConfig(bind, port, upstreamHost, upstreamPort, domains, allowedOrigins,
        sessionLimits, bodyLimits, upstreams, trustedProxies);
  }

  public ServerConfig withBind(String bind) {
    return new ServerConfig(bind, port, upstreamHost, upstreamPort, domains, allowedOrigins,
        sessionLimits, bodyLimits, upstreams, trustedProxies);
  }

  /**
   * Relays every domain to one server over plain TCP, e.g. a server on loopback: what {@code
   * --upstream host:port} means. Replaces any {@link #withUpstreamPolicy upstream policy}.
   */
  public ServerConfig withUpstream(String host, int port) {
    return new ServerConfig(bind, this.port, host, port, domains, allowedOrigins,
        sessionLimits, bodyLimits, null, trustedProxies);
  }

  /** The domains relayed to the {@link #withUpstream fixed upstream}. */
  public ServerConfig withDomains(List<String> domains) {
    if (upstreams != null) {
      throw new IllegalStateException("domains come from the upstream policy: "
          + upstreams.domainNames());
    }
    return new ServerConfig(bind, port, upstreamHost, upstreamPort, domains, allowedOrigins,
        sessionLimits, bodyLimits, upstreams, trustedProxies);
  }

  /** Serves the policy's domains, each reached the way it says (SRV, TLS, allowlist). */
  public ServerConfig withUpstreamPolicy(UpstreamPolicy policy) {
    return new ServerConfig(bind, port, upstreamHost, upstreamPort, domains, allowedOrigins,
        sessionLimits, bodyLimits, policy, trustedProxies);
  }

  /** Reverse proxies (addresses or CIDR blocks) trusted to name the client in headers. */
  public ServerConfig withTrustedProxies(List<String> proxies) {
    return new ServerConfig(bind, port, upstreamHost, upstreamPort, domains, allowedOrigins,
        sessionLimits, bodyLimits, upstreams, proxies);
  }

  /**
   * The upstream policy in force: the configured one, or every domain relayed to {@code
   * upstreamHost:upstreamPort} over plain TCP.
   */
  public UpstreamPolicy upstreamPolicy() {
    return upstreams != null ? upstreams
        : UpstreamPolicy.plainLoopback(new Endpoint(upstreamHost, upstreamPort), domains);
  }

  public ServerConfig withAllowedOrigins(List<String> origins) {
    return new ServerConfig(bind, port, upstreamHost, upstreamPort, domains, origins,
        sessionLimits, bodyLimits, upstreams, trustedProxies);
  }

  public ServerConfig withSessionLimits(SessionLimits limits) {
    return new ServerConfig(bind, port, upstreamHost, upstreamPort, domains, allowedOrigins,
        limits, bodyLimits, upstreams, trustedProxies);
  }

  public ServerConfig withBodyLimits(BodyLimits limits) {
    return new ServerConfig(bind, port, upstreamHost, upstreamPort, domains, allowedOrigins,
        sessionLimits, limits, upstreams, trustedProxies);
  }
}
