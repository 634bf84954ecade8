package dev.bindery.server;

import dev.bindery.protocol.body.BodyLimits;
import dev.bindery.protocol.session.SessionLimits;
import dev.bindery.server.config.AdminConfig;
import dev.bindery.server.config.AdmissionLimits;
import dev.bindery.server.config.DrainConfig;
import dev.bindery.server.config.HostPort;
import dev.bindery.server.config.LogConfig;
import dev.bindery.server.upstream.UpstreamConnector;
import dev.bindery.server.upstream.XmppStreamDecoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable. Everything the server needs to start: the HTTP listener, the upstream XMPP servers,
 * the admin listener, limits and drain. The executable builds one with {@code ConfigLoader} from
 * the config file, environment and flags; embedders and tests start from {@link #defaults()}.
 *
 * @param bind             address the HTTP listener binds
 * @param port             HTTP port; 0 picks a free one
 * @param upstreamHost     host of the default XMPP server's client-to-server listener
 * @param upstreamPort     port of the default XMPP server's client-to-server listener
 * @param domains          XMPP domains this connection manager serves
 * @param allowedOrigins   CORS origins allowed to call {@code /http-bind}; {@code *} allows any
 * @param sessionLimits    the wait, hold and inactivity bounds offered to sessions
 * @param bodyLimits       how much a client may put in one request
 * @param domainUpstreams  per-domain upstream servers, overriding the default for their domain
 * @param forwardedHeaders trust {@code X-Forwarded-For}/{@code Forwarded} from a reverse proxy
 *                         for the client address (logs and the per-IP limit)
 * @param connectTimeoutMillis how long to wait for a TCP connection to the XMPP server
 * @param maxStanzaChars   largest element the XMPP server may send, in characters
 * @param admin            the metrics and health listener
 * @param admission        session limits per node and per client address
 * @param drain            what SIGTERM does
 * @param log              logging, as the executable configures it
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
    Map<String, HostPort> domainUpstreams,
    boolean forwardedHeaders,
    int connectTimeoutMillis,
    int maxStanzaChars,
    AdminConfig admin,
    AdmissionLimits admission,
    DrainConfig drain,
    LogConfig log) {

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
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(admission, "admission");
    Objects.requireNonNull(drain, "drain");
    Objects.requireNonNull(log, "log");
    domains = List.copyOf(domains);
    allowedOrigins = List.copyOf(allowedOrigins);
    domainUpstreams = Map.copyOf(domainUpstreams);
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
    if (connectTimeoutMillis < 1) {
      throw new IllegalArgumentException(
          "invalid connect timeout: " + connectTimeoutMillis + " ms (expected: >= 1)");
    }
    if (maxStanzaChars < 1) {
      throw new IllegalArgumentException(
          "invalid max stanza size: " + maxStanzaChars + " (expected: >= 1)");
    }
    for (String domain : domainUpstreams.keySet()) {
      if (!domains.contains(domain)) {
        throw new IllegalArgumentException("upstream for a domain not served: " + domain);
      }
    }
  }

  /** The previous shape of this record: everything else at its default. */
  public ServerConfig(String bind, int port, String upstreamHost, int upstreamPort,
      List<String> domains, List<String> allowedOrigins, SessionLimits sessionLimits,
      BodyLimits bodyLimits) {
    this(bind, port, upstreamHost, upstreamPort, domains, allowedOrigins, sessionLimits,
        bodyLimits, Map.of(), false, UpstreamConnector.DEFAULT_CONNECT_TIMEOUT_MILLIS,
        XmppStreamDecoder.DEFAULT_MAX_STANZA_CHARS, new AdminConfig(AdminConfig.DEFAULT_BIND, 0),
        AdmissionLimits.DEFAULTS, DrainConfig.DEFAULTS, LogConfig.DEFAULTS);
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
        BodyLimits.DEFAULTS);
  }

  /** The XMPP server for a served domain (lower case): its own upstream, or the default. */
  public HostPort upstreamFor(String domain) {
    HostPort own = domainUpstreams.get(domain.toLowerCase(Locale.ROOT));
    return own != null ? own : new HostPort(upstreamHost, upstreamPort);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public ServerConfig withPort(int port) {
    return toBuilder().port(port).build();
  }

  public ServerConfig withBind(String bind) {
    return toBuilder().bind(bind).build();
  }

  public ServerConfig withUpstream(String host, int port) {
    return toBuilder().upstream(host, port).build();
  }

  public ServerConfig withDomains(List<String> domains) {
    return toBuilder().domains(domains).build();
  }

  public ServerConfig withAllowedOrigins(List<String> origins) {
    return toBuilder().allowedOrigins(origins).build();
  }

  public ServerConfig withSessionLimits(SessionLimits limits) {
    return toBuilder().sessionLimits(limits).build();
  }

  public ServerConfig withBodyLimits(BodyLimits limits) {
    return toBuilder().bodyLimits(limits).build();
  }

  public ServerConfig withAdmin(AdminConfig admin) {
    return toBuilder().admin(admin).build();
  }

  public ServerConfig withAdmission(AdmissionLimits admission) {
    return toBuilder().admission(admission).build();
  }

  public ServerConfig withDrain(DrainConfig drain) {
    return toBuilder().drain(drain).build();
  }

  /** Not thread-safe. A copy of a config to change a few values of. */
  public static final class Builder {
    private String bind;
    private int port;
    private String upstreamHost;
    private int upstreamPort;
    private List<String> domains;
    private List<String> allowedOrigins;
    private SessionLimits sessionLimits;
    private BodyLimits bodyLimits;
    private Map<String, HostPort> domainUpstreams;
    private boolean forwardedHeaders;
    private int connectTimeoutMillis;
    private int maxStanzaChars;
    private AdminConfig admin;
    private AdmissionLimits admission;
    private DrainConfig drain;
    private LogConfig log;

    private Builder(ServerConfig c) {
      bind = c.bind;
      port = c.port;
      upstreamHost = c.upstreamHost;
      upstreamPort = c.upstreamPort;
      domains = c.domains;
      allowedOrigins = c.allowedOrigins;
      sessionLimits = c.sessionLimits;
      bodyLimits = c.bodyLimits;
      domainUpstreams = new LinkedHashMap<>(c.domainUpstreams);
      forwardedHeaders = c.forwardedHeaders;
      connectTimeoutMillis = c.connectTimeoutMillis;
      maxStanzaChars = c.maxStanzaChars;
      admin = c.admin;
      admission = c.admission;
      drain = c.drain;
      log = c.log;
    }

    public Builder bind(String bind) {
      this.bind = bind;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder upstream(String host, int port) {
      this.upstreamHost = host;
      this.upstreamPort = port;
      return this;
    }

    public Builder domains(List<String> domains) {
      this.domains = domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
      return this;
    }

    /** Sets a served domain's own upstream server. */
    public Builder domainUpstream(String domain, HostPort upstream) {
      domainUpstreams.put(domain.toLowerCase(Locale.ROOT), upstream);
      return this;
    }

    public Builder allowedOrigins(List<String> allowedOrigins) {
      this.allowedOrigins = allowedOrigins;
      return this;
    }

    public Builder sessionLimits(SessionLimits sessionLimits) {
      this.sessionLimits = sessionLimits;
      return this;
    }

    public Builder bodyLimits(BodyLimits bodyLimits) {
      this.bodyLimits = bodyLimits;
      return this;
    }

    public Builder forwardedHeaders(boolean forwardedHeaders) {
      this.forwardedHeaders = forwardedHeaders;
      return this;
    }

    public Builder connectTimeoutMillis(int connectTimeoutMillis) {
      this.connectTimeoutMillis = connectTimeoutMillis;
      return this;
    }

    public Builder maxStanzaChars(int maxStanzaChars) {
      this.maxStanzaChars = maxStanzaChars;
      return this;
    }

    public Builder admin(AdminConfig admin) {
      this.admin = admin;
      return this;
    }

    public Builder admission(AdmissionLimits admission) {
      this.admission = admission;
      return this;
    }

    public Builder drain(DrainConfig drain) {
      this.drain = drain;
      return this;
    }

    public Builder log(LogConfig log) {
      this.log = log;
      return this;
    }

    public ServerConfig build() {
      domainUpstreams.keySet().removeIf(d -> !domains.contains(d));
      return new ServerConfig(bind, port, upstreamHost, upstreamPort, domains, allowedOrigins,
          sessionLimits, bodyLimits, domainUpstreams, forwardedHeaders, connectTimeoutMillis,
          maxStanzaChars, admin, admission, drain, log);
    }
  }
}
