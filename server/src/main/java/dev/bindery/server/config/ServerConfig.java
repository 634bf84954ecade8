package dev.bindery.server.config;

import dev.bindery.protocol.body.BodyLimits;
import dev.bindery.protocol.session.SessionLimits;
import dev.bindery.server.upstream.Endpoint;
import dev.bindery.server.upstream.UpstreamPolicy;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Immutable. Everything the server needs to start: the HTTP listener, the upstream XMPP servers,
 * the admin listener, limits and drain. The executable builds one with {@code ConfigLoader} from
 * the config file, environment and flags; embedders and tests start from {@link #defaults()}.
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
 * @param admin          the metrics and health listener
 * @param admission      session limits per node and per client address
 * @param drain          what SIGTERM does
 * @param log            logging, as the executable configures it
 * @param threads        the HTTP thread pool and the sessions' event loops
 * @param https          Bindery's own HTTPS listener, or {@link HttpsConfig#DISABLED}
 * @param http2          HTTP/2 on the listeners, beside HTTP/1.1
 * @param nodeName       this node's name, the prefix of the sids it issues ({@code
 *                       NAME.random}) by which a load balancer routes requests; empty for none
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
    List<String> trustedProxies,
    AdminConfig admin,
    AdmissionLimits admission,
    DrainConfig drain,
    LogConfig log,
    ThreadsConfig threads,
    HttpsConfig https,
    Http2Config http2,
    String nodeName) {

  public static final String DEFAULT_BIND = "127.0.0.1";
  public static final int DEFAULT_PORT = 5280;
  public static final String DEFAULT_UPSTREAM_HOST = "127.0.0.1";
  public static final int DEFAULT_UPSTREAM_PORT = 5222;
  /** What a node name may be: a load balancer's server name, and never the sid's separator. */
  private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  public static final List<String> DEFAULT_DOMAINS = List.of("localhost");
  public static final List<String> DEFAULT_ALLOWED_ORIGINS = List.of("*");
  /**
   * A reverse proxy on the same host (nginx in front, as most installs have it) names the client;
   * otherwise every user would share its address, and the per-IP limit with it.
   */
  public static final List<String> DEFAULT_TRUSTED_PROXIES = List.of("127.0.0.0/8", "::1");
  /** The embedding default: a free loopback port (the executable's is 9280). */
  static final AdminConfig DEFAULT_EMBEDDED_ADMIN = new AdminConfig(AdminConfig.DEFAULT_BIND, 0);

  public ServerConfig {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(upstreamHost, "upstreamHost");
    Objects.requireNonNull(sessionLimits, "sessionLimits");
    Objects.requireNonNull(bodyLimits, "bodyLimits");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(admission, "admission");
    Objects.requireNonNull(drain, "drain");
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(threads, "threads");
    Objects.requireNonNull(https, "https");
    Objects.requireNonNull(http2, "http2");
    Objects.requireNonNull(nodeName, "nodeName");
    if (!nodeName.isEmpty() && !NODE_NAME.matcher(nodeName).matches()) {
      throw new IllegalArgumentException("invalid node name: " + nodeName
          + " (expected: 1 to 32 letters, digits, '-' or '_')");
    }
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

  /** Everything but the upstream and listener settings at its default. */
  public ServerConfig(String bind, int port, String upstreamHost, int upstreamPort,
      List<String> domains, List<String> allowedOrigins, SessionLimits sessionLimits,
      BodyLimits bodyLimits, UpstreamPolicy upstreams, List<String> trustedProxies) {
    this(bind, port, upstreamHost, upstreamPort, domains, allowedOrigins, sessionLimits,
        bodyLimits, upstreams, trustedProxies, DEFAULT_EMBEDDED_ADMIN, AdmissionLimits.DEFAULTS,
        DrainConfig.DEFAULTS, LogConfig.DEFAULTS, ThreadsConfig.DEFAULTS,
        HttpsConfig.DISABLED, Http2Config.DEFAULTS, "");
  }

  /**
   * The defaults for embedding and tests: listen on 127.0.0.1:5280, relay {@code localhost} to
   * 127.0.0.1:5222, admin listener on a free loopback port (the executable's default is {@value
   * AdminConfig#DEFAULT_PORT}).
   */
  public static ServerConfig defaults() {
    return new ServerConfig(DEFAULT_BIND, DEFAULT_PORT, DEFAULT_UPSTREAM_HOST,
        DEFAULT_UPSTREAM_PORT, DEFAULT_DOMAINS, DEFAULT_ALLOWED_ORIGINS,
        SessionLimits.DEFAULTS.withAccept("gzip,deflate"),
        BodyLimits.DEFAULTS, null, DEFAULT_TRUSTED_PROXIES);
  }

  public ServerConfig withPort(int port) {
    return new ServerConfig(bind, port, upstreamHost, upstreamPort, domains, allowedOrigins,
        sessionLimits, bodyLimits, upstreams, trustedProxies, admin, admission, drain, log,
        threads, https, http2, nodeName);
  }

  public ServerConfig withBind(String bind) {
    return new ServerConfig(bind, port, upstreamHost, upstreamPort, domains, allowedOrigins,
        sessionLimits, bodyLimits, upstreams, trustedProxies, admin, admission, drain, log,
        threads, https, http2, nodeName);
  }

  /**
   * Relays every domain to one server over plain TCP, e.g. a server on loopback: what {@code
   * --upstream host:port} means. Replaces any {@link #withUpstreamPolicy upstream policy}.
   */
  public ServerConfig withUpstream(String host, int port) {
    return new ServerConfig(bind, this.port, host, port, domains, allowedOrigins,
        sessionLimits, bodyLimits, null, trustedProxies, admin, admission, drain, log,
        threads, https, http2, nodeName);
  }

  /** The domains relayed to the {@link #withUpstream fixed upstream}. */
  public ServerConfig withDomains(List<String> domains) {
    if (upstreams != null) {
      throw new IllegalStateException("domains come from the upstream policy: "
          + upstreams.domainNames());
    }
    return new ServerConfig(bind, port, upstreamHost, upstreamPort, domains, allowedOrigins,
        sessionLimits, bodyLimits, upstreams, trustedProxies, admin, admission, drain, log,
        threads, https, http2, nodeName);
  }

  /** Serves the policy's domains, each reached the way it says (SRV, TLS, allowlist). */
  public ServerConfig withUpstreamPolicy(UpstreamPolicy policy) {
    return new ServerConfig(bind, port, upstreamHost, upstreamPort, domains, allowedOrigins,
        sessionLimits, bodyLimits, policy, trustedProxies, admin, admission, drain, log,
        threads, https, http2, nodeName);
  }

  /** Reverse proxies (addresses or CIDR blocks) trusted to name the client in headers. */
  public ServerConfig withTrustedProxies(List<String> proxies) {
    return new ServerConfig(bind, port, upstreamHost, upstreamPort, domains, allowedOrigins,
        sessionLimits, bodyLimits, upstreams, proxies, admin, admission, drain, log,
        threads, https, http2, nodeName);
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
        sessionLimits, bodyLimits, upstreams, trustedProxies, admin, admission, drain, log,
        threads, https, http2, nodeName);
  }

  public ServerConfig withSessionLimits(SessionLimits limits) {
    return new ServerConfig(bind, port, upstreamHost, upstreamPort, domains, allowedOrigins,
        limits, bodyLimits, upstreams, trustedProxies, admin, admission, drain, log,
        threads, https, http2, nodeName);
  }

  public ServerConfig withBodyLimits(BodyLimits limits) {
    return new ServerConfig(bind, port, upstreamHost, upstreamPort, domains, allowedOrigins,
        sessionLimits, limits, upstreams, trustedProxies, admin, admission, drain, log,
        threads, https, http2, nodeName);
  }

  /** The admin listener: {@code /metrics} and health. */
  public ServerConfig withAdmin(AdminConfig admin) {
    return new ServerConfig(bind, port, upstreamHost, upstreamPort, domains, allowedOrigins,
        sessionLimits, bodyLimits, upstreams, trustedProxies, admin, admission, drain, log,
        threads, https, http2, nodeName);
  }

  /** Session limits per node and per client address. */
  public ServerConfig withAdmission(AdmissionLimits admission) {
    return new ServerConfig(bind, port, upstreamHost, upstreamPort, domains, allowedOrigins,
        sessionLimits, bodyLimits, upstreams, trustedProxies, admin, admission, drain, log,
        threads, https, http2, nodeName);
  }

  /** What SIGTERM does. */
  public ServerConfig withDrain(DrainConfig drain) {
    return new ServerConfig(bind, port, upstreamHost, upstreamPort, domains, allowedOrigins,
        sessionLimits, bodyLimits, upstreams, trustedProxies, admin, admission, drain, log,
        threads, https, http2, nodeName);
  }

  /** Logging, as the executable sets it up. */
  public ServerConfig withLog(LogConfig log) {
    return new ServerConfig(bind, port, upstreamHost, upstreamPort, domains, allowedOrigins,
        sessionLimits, bodyLimits, upstreams, trustedProxies, admin, admission, drain, log,
        threads, https, http2, nodeName);
  }

  public ServerConfig withThreads(ThreadsConfig threads) {
    return new ServerConfig(bind, port, upstreamHost, upstreamPort, domains, allowedOrigins,
        sessionLimits, bodyLimits, upstreams, trustedProxies, admin, admission, drain, log,
        threads, https, http2, nodeName);
  }

  public ServerConfig withHttps(HttpsConfig https) {
    return new ServerConfig(bind, port, upstreamHost, upstreamPort, domains, allowedOrigins,
        sessionLimits, bodyLimits, upstreams, trustedProxies, admin, admission, drain, log,
        threads, https, http2, nodeName);
  }

  /** HTTP/2 on the listeners (h2c on the plain one, h2 by ALPN on the HTTPS one). */
  public ServerConfig withHttp2(Http2Config http2) {
    return new ServerConfig(bind, port, upstreamHost, upstreamPort, domains, allowedOrigins,
        sessionLimits, bodyLimits, upstreams, trustedProxies, admin, admission, drain, log,
        threads, https, http2, nodeName);
  }

  /** Names this node: the sids it issues start with {@code name.}; empty for plain sids. */
  public ServerConfig withNodeName(String name) {
    return new ServerConfig(bind, port, upstreamHost, upstreamPort, domains, allowedOrigins,
        sessionLimits, bodyLimits, upstreams, trustedProxies, admin, admission, drain, log,
        threads, https, http2, name);
  }
}
