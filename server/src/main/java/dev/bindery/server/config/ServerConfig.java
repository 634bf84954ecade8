package dev.bindery.server.config;

import dev.bindery.protocol.body.BodyLimits;
import dev.bindery.protocol.session.SessionLimits;
import dev.bindery.server.upstream.Endpoint;
import dev.bindery.server.upstream.UpstreamPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Immutable. Everything the server needs to start, in sections: the HTTP listeners, the upstream
 * XMPP servers, the session and body limits, admission, the admin listener, drain, logging and
 * threads. The executable builds one with {@link ConfigLoader} from the config file, environment
 * and flags; embedders and tests start from {@link #builder()}, e.g. {@code
 * ServerConfig.builder().port(0).upstream("127.0.0.1", 5222).build()}.
 *
 * @param http          the BOSH listeners
 * @param upstream      the served domains, how each one's server is reached, and the bounds on
 *                      those connections
 * @param sessionLimits the wait, hold and inactivity bounds offered to sessions
 * @param bodyLimits    how much a client may put in one request
 * @param admission     session limits per node and per client address
 * @param admin         the metrics and health listener
 * @param drain         what SIGTERM does
 * @param log           logging, as the executable configures it
 * @param threads       the HTTP thread pool and the sessions' event loops
 * @param nodeName      this node's name, the prefix of the sids it issues ({@code NAME.random})
 *                      by which a load balancer routes requests; empty for none
 * @param webSocket     XMPP over WebSocket beside BOSH
 * @param discovery     the public endpoint URLs for XEP-0156 host-meta
 */
public record ServerConfig(
    HttpConfig http,
    UpstreamPolicy upstream,
    SessionLimits sessionLimits,
    BodyLimits bodyLimits,
    AdmissionLimits admission,
    AdminConfig admin,
    DrainConfig drain,
    LogConfig log,
    ThreadsConfig threads,
    String nodeName,
    WebSocketConfig webSocket,
    DiscoveryConfig discovery) {

  /** Where the plain-name domains are relayed by default: a server on this host. */
  public static final Endpoint DEFAULT_UPSTREAM = new Endpoint("127.0.0.1", 5222);
  public static final List<String> DEFAULT_DOMAINS = List.of("localhost");
  /** What a node name may be: a load balancer's server name, and never the sid's separator. */
  static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  /** The embedding default: a free loopback port (the executable's is 9280). */
  static final AdminConfig DEFAULT_EMBEDDED_ADMIN = new AdminConfig(AdminConfig.DEFAULT_BIND, 0);

  public ServerConfig {
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(upstream, "upstream");
    Objects.requireNonNull(sessionLimits, "sessionLimits");
    Objects.requireNonNull(bodyLimits, "bodyLimits");
    Objects.requireNonNull(admission, "admission");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(drain, "drain");
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(threads, "threads");
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(webSocket, "webSocket");
    Objects.requireNonNull(discovery, "discovery");
    if (!nodeName.isEmpty() && !NODE_NAME.matcher(nodeName).matches()) {
      throw new IllegalArgumentException("invalid node name: " + nodeName
          + " (expected: 1 to 32 letters, digits, '-' or '_')");
    }
  }

  /**
   * The defaults for embedding and tests: listen on 127.0.0.1:5280, relay {@code localhost} to
   * 127.0.0.1:5222 over plain TCP, admin listener on a free loopback port (the executable's
   * default is {@value AdminConfig#DEFAULT_PORT}).
   */
  public static ServerConfig defaults() {
    return builder().build();
  }

  /** A builder holding {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The served domain names, lower case, in configuration order. */
  public List<String> domains() {
    return upstream.domainNames();
  }

  /**
   * Not thread-safe. Builds a {@link ServerConfig}; every setter replaces one section or one
   * value of the {@link HttpConfig} section.
   *
   * <p>The upstream is either a whole {@link UpstreamPolicy}, or the plain-TCP shorthand: {@link
   * #domains} relayed to {@link #upstream(String, int) one server}, as {@link
   * UpstreamPolicy#plainLoopback} builds it. Setting either form replaces the other.
   */
  public static final class Builder {
    private HttpConfig http = HttpConfig.DEFAULTS;
    private UpstreamPolicy policy;
    private Endpoint relay = DEFAULT_UPSTREAM;
    private List<String> relayed = DEFAULT_DOMAINS;
    private SessionLimits sessionLimits = SessionLimits.DEFAULTS.withAccept("gzip,deflate");
    private BodyLimits bodyLimits = BodyLimits.DEFAULTS;
    private AdmissionLimits admission = AdmissionLimits.DEFAULTS;
    private AdminConfig admin = DEFAULT_EMBEDDED_ADMIN;
    private DrainConfig drain = DrainConfig.DEFAULTS;
    private LogConfig log = LogConfig.DEFAULTS;
    private ThreadsConfig threads = ThreadsConfig.DEFAULTS;
    private String nodeName = "";
    private WebSocketConfig webSocket = WebSocketConfig.DEFAULTS;
    private DiscoveryConfig discovery = DiscoveryConfig.DEFAULTS;

    private Builder() {}

    private Builder(ServerConfig c) {
      http = c.http;
      policy = c.upstream;
      relayed = c.domains();
      sessionLimits = c.sessionLimits;
      bodyLimits = c.bodyLimits;
      admission = c.admission;
      admin = c.admin;
      drain = c.drain;
      log = c.log;
      threads = c.threads;
      nodeName = c.nodeName;
      webSocket = c.webSocket;
      discovery = c.discovery;
    }

    public Builder http(HttpConfig http) {
      this.http = http;
      return this;
    }

    public Builder bind(String bind) {
      http = new HttpConfig(bind, http.port(), http.allowedOrigins(), http.trustedProxies(),
          http.https(), http.http2(), http.webRoot(), http.headerTimeout());
      return this;
    }

    public Builder port(int port) {
      http = new HttpConfig(http.bind(), port, http.allowedOrigins(), http.trustedProxies(),
          http.https(), http.http2(), http.webRoot(), http.headerTimeout());
      return this;
    }

    public Builder allowedOrigins(List<String> origins) {
      http = new HttpConfig(http.bind(), http.port(), origins, http.trustedProxies(),
          http.https(), http.http2(), http.webRoot(), http.headerTimeout());
      return this;
    }

    /** Reverse proxies (addresses or CIDR blocks) trusted to name the client in headers. */
    public Builder trustedProxies(List<String> proxies) {
      http = new HttpConfig(http.bind(), http.port(), http.allowedOrigins(), proxies,
          http.https(), http.http2(), http.webRoot(), http.headerTimeout());
      return this;
    }

    public Builder https(HttpsConfig https) {
      http = new HttpConfig(http.bind(), http.port(), http.allowedOrigins(),
          http.trustedProxies(), https, http.http2(), http.webRoot(), http.headerTimeout());
      return this;
    }

    /** The longest a request's headers may take to arrive (slowloris). */
    public Builder headerTimeout(Duration timeout) {
      http = new HttpConfig(http.bind(), http.port(), http.allowedOrigins(),
          http.trustedProxies(), http.https(), http.http2(), http.webRoot(), timeout);
      return this;
    }

    /** HTTP/2 on the listeners (h2c on the plain one, h2 by ALPN on the HTTPS one). */
    public Builder http2(Http2Config http2) {
      http = new HttpConfig(http.bind(), http.port(), http.allowedOrigins(),
          http.trustedProxies(), http.https(), http2, http.webRoot(), http.headerTimeout());
      return this;
    }

    /** Serves the policy's domains, each reached the way it says (SRV, TLS, allowlist). */
    public Builder upstream(UpstreamPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Relays the {@link #domains} to one server over plain TCP, e.g. a server on loopback: what
     * {@code --upstream host:port} means. Replaces any {@link #upstream(UpstreamPolicy) policy}.
     */
    public Builder upstream(String host, int port) {
      relay = new Endpoint(host, port);
      policy = null;
      return this;
    }

    /** The domains relayed to the {@link #upstream(String, int) one server}. */
    public Builder domains(List<String> domains) {
      relayed = List.copyOf(domains);
      policy = null;
      return this;
    }

    public Builder sessionLimits(SessionLimits limits) {
      this.sessionLimits = limits;
      return this;
    }

    public Builder bodyLimits(BodyLimits limits) {
      this.bodyLimits = limits;
      return this;
    }

    /** Session limits per node and per client address. */
    public Builder admission(AdmissionLimits admission) {
      this.admission = admission;
      return this;
    }

    /** The admin listener: {@code /metrics} and health. */
    public Builder admin(AdminConfig admin) {
      this.admin = admin;
      return this;
    }

    /** What SIGTERM does. */
    public Builder drain(DrainConfig drain) {
      this.drain = drain;
      return this;
    }

    /** Logging, as the executable sets it up. */
    public Builder log(LogConfig log) {
      this.log = log;
      return this;
    }

    public Builder threads(ThreadsConfig threads) {
      this.threads = threads;
      return this;
    }

    /** Names this node: the sids it issues start with {@code name.}; empty for plain sids. */
    public Builder nodeName(String name) {
      this.nodeName = name;
      return this;
    }

    /** XMPP over WebSocket: whether, where, and its liveness checks. */
    public Builder webSocket(WebSocketConfig webSocket) {
      this.webSocket = webSocket;
      return this;
    }

    /** The public endpoint URLs that host-meta names. */
    public Builder discovery(DiscoveryConfig discovery) {
      this.discovery = discovery;
      return this;
    }

    /** Serves the static files of {@code root} at {@code /} (null: none). */
    public Builder webRoot(Path root) {
      http = http.withWebRoot(root);
      return this;
    }

    /** @throws IllegalArgumentException a value is invalid */
    public ServerConfig build() {
      UpstreamPolicy upstream = policy != null ? policy
          : UpstreamPolicy.plainLoopback(relay, relayed);
      return new ServerConfig(http, upstream, sessionLimits, bodyLimits, admission, admin, drain,
          log, threads, nodeName, webSocket, discovery);
    }
  }
}
