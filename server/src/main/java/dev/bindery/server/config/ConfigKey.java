package dev.bindery.server.config;

import java.util.Locale;
import java.util.Optional;

/**
 * Immutable. Every configuration key: its dotted path in the config file, the environment
 * variable and flag that override it, its default as written in the file, and what it means.
 * {@code docs/configuration.md} documents each one; a test keeps the two in step.
 */
public enum ConfigKey {
  HTTP_BIND("http.bind", "--bind", "127.0.0.1",
      "address the BOSH listener binds; 0.0.0.0 or :: for every interface"),
  HTTP_PORT("http.port", "--port", "5280",
      "BOSH listener port (IANA's xmpp-bosh); 0 picks a free one"),
  HTTP_ALLOWED_ORIGINS("http.allowed-origins", "--allowed-origins", "*",
      "CORS origins allowed to call /http-bind; * allows any"),
  HTTP_TRUSTED_PROXIES("http.trusted-proxies", "--trusted-proxies", "[127.0.0.0/8, ::1]",
      "addresses or CIDR blocks of reverse proxies whose Forwarded/X-Forwarded-For name the"
          + " client (logs, the per-IP limit, PROXY headers); a proxy on this host by default;"
          + " empty: always the connection's peer"),
  HTTP_TLS_PORT("http.tls.port", "--tls-port", "5281",
      "HTTPS listener port, on http.bind, when http.tls.certificate is set; 0 picks a free one"),
  HTTP_TLS_CERTIFICATE("http.tls.certificate", "--tls-certificate", "",
      "PEM file: the HTTPS listener's certificate, then its chain; empty: no HTTPS listener"),
  HTTP_TLS_KEY("http.tls.key", "--tls-key", "",
      "PEM file: the certificate's private key (PKCS #8, unencrypted)"),
  HTTP_H2_ENABLED("http.h2.enabled", null, "true",
      "serve HTTP/2 beside HTTP/1.1: h2c by prior knowledge on the plain listener, h2 by ALPN on"
          + " the HTTPS one"),
  HTTP_H2_MAX_CONCURRENT_STREAMS("http.h2.max-concurrent-streams", null, "4096",
      "HTTP/2 streams one connection may have open at once; a held request is one"),
  HTTP_H2_INITIAL_STREAM_WINDOW("http.h2.initial-stream-window", null, "1048576",
      "bytes a client may send on one HTTP/2 stream before Bindery reads them"),
  HTTP_H2_INITIAL_CONNECTION_WINDOW("http.h2.initial-connection-window", null, "16777216",
      "bytes a client may send on one HTTP/2 connection before Bindery reads them"),
  HTTP_H2_MAX_CONTROL_FRAMES("http.h2.max-control-frames-per-second", null, "2000",
      "stream resets and other HTTP/2 control frames one connection may send per second before"
          + " it is closed (rapid-reset defence)"),
  NODE_NAME("node.name", "--node-name", "",
      "this node's name, put before the sids it issues (NAME.random) so that a load balancer"
          + " routes every request to its session's node by the sid in the body; letters, digits,"
          + " '-' and '_', at most 32; empty: plain sids"),
  ADMIN_BIND("admin.bind", "--admin-bind", "127.0.0.1",
      "address the admin listener (/metrics, /health/live, /health/ready) binds"),
  ADMIN_PORT("admin.port", "--admin-port", "9280", "admin listener port; 0 picks a free one"),
  UPSTREAM_ADDRESS("upstream.address", "--upstream", "127.0.0.1:5222",
      "the XMPP server's client-to-server listener (host:port) for domains without their own"),
  UPSTREAM_NAME_SERVERS("upstream.name-servers", "--name-server", "",
      "DNS servers (host:port) for SRV and address lookups; empty: the system's"),
  UPSTREAM_CONNECT_TIMEOUT("upstream.connect-timeout", null, "10s",
      "TCP connect to the XMPP server, per address tried"),
  UPSTREAM_TLS_HANDSHAKE_TIMEOUT("upstream.tls-handshake-timeout", null, "10s",
      "TLS handshake with the XMPP server, direct or after STARTTLS"),
  UPSTREAM_FEATURES_TIMEOUT("upstream.features-timeout", null, "15s",
      "from the connection until the server's stream features"),
  UPSTREAM_MAX_STANZA_SIZE("upstream.max-stanza-size", null, "1048576",
      "largest element the XMPP server may send, in characters; beyond, the session ends"),
  UPSTREAM_MAX_CLIENT_STANZA_SIZE("upstream.max-client-stanza-size", null, "262144",
      "largest element a client may send, in characters; beyond, policy-violation"),
  UPSTREAM_MAX_BUFFERED_BYTES("upstream.max-buffered-bytes", null, "1048576",
      "bytes from the server a session holds for its client before reading pauses"),
  DOMAINS("domains", "--domain", "[localhost]",
      "XMPP domains served; each a name (relayed to upstream.address over plain TCP) or a"
          + " mapping {name, address, tls, trust-store, proxy-protocol, allow-private-addresses,"
          + " route}; other 'to' domains get host-unknown"),
  SERVERS("servers", "--server", "",
      "more served domains as --server lines: DOMAIN,key=value,... (same keys as a domains"
          + " mapping); in the environment separated by ';'"),
  SESSION_MAX_WAIT("session.max-wait", null, "60",
      "longest wait (seconds) a session may hold a request; proxies in front must time out"
          + " later"),
  SESSION_MAX_HOLD("session.max-hold", null, "1", "most requests a session may hold at once"),
  SESSION_INACTIVITY("session.inactivity", null, "60",
      "seconds without a request after which a session ends"),
  SESSION_POLLING("session.polling", null, "2",
      "shortest polling interval (seconds) advertised to clients"),
  SESSION_MAX_REPEATED_RIDS("session.max-repeated-rids", null, "5",
      "how often a client may resend one rid before policy-violation"),
  LIMITS_MAX_SESSIONS("limits.max-sessions", null, "10000",
      "most live sessions on this node; more get policy-violation"),
  LIMITS_NEW_SESSIONS_PER_IP("limits.new-sessions-per-ip-per-second", null, "20",
      "most session creations per client IP per second; more get policy-violation; 0: no limit"),
  LIMITS_MAX_BODY_SIZE("limits.max-body-size", null, "1048576",
      "largest request body in bytes; larger requests get policy-violation"),
  DRAIN_GRACE_PERIOD("drain.grace-period", "--drain-grace-period", "30s",
      "after SIGTERM, how long existing sessions keep working before system-shutdown"),
  DRAIN_SEE_OTHER_URI("drain.see-other-uri", "--see-other-uri", "",
      "while draining, new sessions get see-other-uri with this URI; empty: system-shutdown"),
  THREADS_HTTP_MAX("threads.http-max", null, "64",
      "most threads of the HTTP listener; requests never wait on a thread, so a few per core"
          + " serve any number of sessions"),
  THREADS_SESSION_LOOPS("threads.session-loops", null, "0",
      "event loops running the sessions and their XMPP streams; 0: two per core"),
  LOG_LEVEL("log.level", "--log-level", "INFO",
      "root log level: TRACE, DEBUG (one line per request), INFO (session lifecycle), WARN"),
  LOG_FORMAT("log.format", "--log-format", "text",
      "text, or json: one JSON object per line for log shippers"),
  LOG_WIRE("log.wire", null, "false",
      "log every request, response and stanza on the dev.bindery.wire logger at TRACE"
          + " (payloads include passwords during SASL PLAIN: debugging only)");

  private final String path;
  private final String flag;
  private final String defaultValue;
  private final String description;

  ConfigKey(String path, String flag, String defaultValue, String description) {
    this.path = path;
    this.flag = flag;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  /** The dotted path in the config file, e.g. {@code http.port}. */
  public String path() {
    return path;
  }

  /** The environment variable that overrides it, e.g. {@code BINDERY_HTTP_PORT}. */
  public String env() {
    return "BINDERY_" + path.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The command-line flag that overrides it, if any; {@code --set path=value} always works. */
  public Optional<String> flag() {
    return Optional.ofNullable(flag);
  }

  /** The default, as it would be written in the config file. */
  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  /** The key with this dotted path. */
  public static Optional<ConfigKey> ofPath(String path) {
    for (ConfigKey k : values()) {
      if (k.path.equals(path)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /** The key this flag sets. */
  public static Optional<ConfigKey> ofFlag(String flag) {
    for (ConfigKey k : values()) {
      if (flag.equals(k.flag)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
