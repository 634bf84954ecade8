package dev.bindery.server.config;

import dev.bindery.protocol.body.BodyLimits;
import dev.bindery.protocol.session.SessionLimits;
import dev.bindery.server.upstream.DomainRoute;
import dev.bindery.server.upstream.Endpoint;
import dev.bindery.server.upstream.UpstreamLimits;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable. A configuration key, declared once with everything about it: its dotted path in the
 * config file, the command-line flag that sets it (if any; {@code --set path=value} always
 * works), its {@link ValueType type} with the range or values it accepts, its default, and what it
 * means; the environment variable follows from the path. The config file reader, the environment
 * and flags, the validation messages, {@code --help} and {@code docs/configuration.md} (a test
 * keeps it equal) all come from these declarations.
 *
 * @param <T> the type of the value, e.g. {@code Integer} for {@link #HTTP_PORT}
 */
public final class ConfigKey<T> {

  private static final List<ConfigKey<?>> ALL = new ArrayList<>();
  /** The bounds of the upstream timeouts: a millisecond, to ten minutes. */
  private static final Duration MIN_TIMEOUT = Duration.ofMillis(1);
  private static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);
  /** The smallest stanza or buffer bound: a few elements of any real stream fit. */
  private static final int MIN_STREAM_SIZE = 1024;

  public static final ConfigKey<String> HTTP_BIND = new ConfigKey<>("http.bind", "--bind",
      ValueType.text("address"), HttpConfig.DEFAULT_BIND,
      "address the BOSH listener binds; 0.0.0.0 or :: for every interface");
  public static final ConfigKey<Integer> HTTP_PORT = new ConfigKey<>("http.port", "--port",
      ValueType.port(0), HttpConfig.DEFAULT_PORT,
      "BOSH listener port (IANA's xmpp-bosh); 0 picks a free one");
  public static final ConfigKey<List<String>> HTTP_ALLOWED_ORIGINS = new ConfigKey<>(
      "http.allowed-origins", "--allowed-origins", ValueType.list(false),
      HttpConfig.DEFAULT_ALLOWED_ORIGINS,
      "CORS origins allowed to call /http-bind; * allows any");
  public static final ConfigKey<List<String>> HTTP_TRUSTED_PROXIES = new ConfigKey<>(
      "http.trusted-proxies", "--trusted-proxies", ValueType.list(true),
      HttpConfig.DEFAULT_TRUSTED_PROXIES,
      "addresses or CIDR blocks of reverse proxies whose Forwarded/X-Forwarded-For name the"
          + " client (logs, the per-IP limit, PROXY headers); a proxy on this host by default;"
          + " empty: always the connection's peer");
  public static final ConfigKey<Integer> HTTP_TLS_PORT = new ConfigKey<>("http.tls.port",
      "--tls-port", ValueType.port(0), HttpsConfig.DEFAULT_PORT,
      "HTTPS listener port, on http.bind, when http.tls.certificate is set; 0 picks a free one");
  public static final ConfigKey<Path> HTTP_TLS_CERTIFICATE = new ConfigKey<>(
      "http.tls.certificate", "--tls-certificate", ValueType.file(), null,
      "PEM file: the HTTPS listener's certificate, then its chain; empty: no HTTPS listener");
  public static final ConfigKey<Path> HTTP_TLS_KEY = new ConfigKey<>("http.tls.key",
      "--tls-key", ValueType.file(), null,
      "PEM file: the certificate's private key (PKCS #8, unencrypted)");
  public static final ConfigKey<Boolean> HTTP_H2_ENABLED = new ConfigKey<>("http.h2.enabled",
      null, ValueType.bool(), Http2Config.DEFAULTS.enabled(),
      "serve HTTP/2 beside HTTP/1.1: h2c by prior knowledge on the plain listener, h2 by ALPN on"
          + " the HTTPS one");
  public static final ConfigKey<Integer> HTTP_H2_MAX_CONCURRENT_STREAMS = new ConfigKey<>(
      "http.h2.max-concurrent-streams", null, ValueType.integer(1, 1_000_000),
      Http2Config.DEFAULT_MAX_CONCURRENT_STREAMS,
      "HTTP/2 streams one connection may have open at once; a held request is one");
  public static final ConfigKey<Integer> HTTP_H2_INITIAL_STREAM_WINDOW = new ConfigKey<>(
      "http.h2.initial-stream-window", null,
      ValueType.integer(Http2Config.MIN_WINDOW, Http2Config.MAX_WINDOW),
      Http2Config.DEFAULT_INITIAL_STREAM_WINDOW,
      "bytes a client may send on one HTTP/2 stream before Bindery reads them");
  public static final ConfigKey<Integer> HTTP_H2_INITIAL_CONNECTION_WINDOW = new ConfigKey<>(
      "http.h2.initial-connection-window", null,
      ValueType.integer(Http2Config.MIN_WINDOW, Http2Config.MAX_WINDOW),
      Http2Config.DEFAULT_INITIAL_CONNECTION_WINDOW,
      "bytes a client may send on one HTTP/2 connection before Bindery reads them");
  public static final ConfigKey<Integer> HTTP_H2_MAX_CONTROL_FRAMES = new ConfigKey<>(
      "http.h2.max-control-frames-per-second", null, ValueType.integer(1, 10_000_000),
      Http2Config.DEFAULT_MAX_CONTROL_FRAMES_PER_SECOND,
      "stream resets and other HTTP/2 control frames one connection may send per second before"
          + " it is closed (rapid-reset defence)");
  public static final ConfigKey<Path> HTTP_WEB_ROOT = new ConfigKey<>("http.web-root",
      "--web-root", ValueType.file(), null,
      "a directory of static files served at / on the HTTP listeners beside BOSH and WebSocket,"
          + " e.g. a web chat page; empty: none");
  public static final ConfigKey<Duration> HTTP_HEADER_TIMEOUT = new ConfigKey<>(
      "http.header-timeout", null, ValueType.duration(Duration.ofSeconds(1), Duration.ofHours(1)),
      HttpConfig.DEFAULT_HEADER_TIMEOUT,
      "the longest an HTTP/1.1 request's headers may take from their first byte; a connection"
          + " still receiving them then is closed (slowloris: Jetty's idle timeout restarts with"
          + " every byte)");
  public static final ConfigKey<Boolean> WEBSOCKET_ENABLED = new ConfigKey<>("websocket.enabled",
      null, ValueType.bool(), WebSocketConfig.DEFAULTS.enabled(),
      "serve XMPP over WebSocket (RFC 7395) on the HTTP listeners at websocket.path");
  public static final ConfigKey<String> WEBSOCKET_PATH = new ConfigKey<>("websocket.path",
      "--websocket-path", ValueType.text("path"), WebSocketConfig.DEFAULT_PATH,
      "where clients open the XMPP WebSocket (subprotocol xmpp)");
  public static final ConfigKey<Duration> WEBSOCKET_PING_INTERVAL = new ConfigKey<>(
      "websocket.ping-interval", null,
      ValueType.duration(Duration.ofSeconds(1), Duration.ofHours(1)),
      WebSocketConfig.DEFAULTS.pingInterval(),
      "how often each WebSocket client gets a ping; proxies in front must allow longer silence");
  public static final ConfigKey<Duration> WEBSOCKET_IDLE_TIMEOUT = new ConfigKey<>(
      "websocket.idle-timeout", null,
      ValueType.duration(Duration.ofSeconds(2), Duration.ofHours(24)),
      WebSocketConfig.DEFAULTS.idleTimeout(),
      "a WebSocket client silent this long (no message, no pong) gets connection-timeout and"
          + " its server stream ends; longer than websocket.ping-interval");
  public static final ConfigKey<URI> DISCOVERY_BOSH_URL = new ConfigKey<>("discovery.bosh-url",
      null, ValueType.httpUri(), null,
      "the BOSH URL /.well-known/host-meta names (XEP-0156), as clients reach it through the"
          + " proxies in front; empty: the scheme and host each request came with");
  public static final ConfigKey<URI> DISCOVERY_WEBSOCKET_URL = new ConfigKey<>(
      "discovery.websocket-url", null, ValueType.webSocketUri(), null,
      "the WebSocket URL /.well-known/host-meta names (ws or wss); empty: the scheme and host"
          + " each request came with");
  public static final ConfigKey<String> NODE_NAME = new ConfigKey<>("node.name", "--node-name",
      ValueType.nodeName(), "",
      "this node's name, put before the sids it issues (NAME.random) so that a load balancer"
          + " routes every request to its session's node by the sid in the body; letters, digits,"
          + " '-' and '_', at most 32; empty: plain sids");
  public static final ConfigKey<String> ADMIN_BIND = new ConfigKey<>("admin.bind",
      "--admin-bind", ValueType.text("address"), AdminConfig.DEFAULT_BIND,
      "address the admin listener (/metrics, /health/live, /health/ready) binds");
  public static final ConfigKey<Integer> ADMIN_PORT = new ConfigKey<>("admin.port",
      "--admin-port", ValueType.port(0), AdminConfig.DEFAULT_PORT,
      "admin listener port; 0 picks a free one");
  public static final ConfigKey<Endpoint> UPSTREAM_ADDRESS = new ConfigKey<>("upstream.address",
      "--upstream", ValueType.endpoint(), ServerConfig.DEFAULT_UPSTREAM,
      "the XMPP server's client-to-server listener (host:port) for domains without their own");
  public static final ConfigKey<List<Endpoint>> UPSTREAM_NAME_SERVERS = new ConfigKey<>(
      "upstream.name-servers", "--name-server", ValueType.endpoints(), List.of(),
      "DNS servers (host:port) for SRV and address lookups; empty: the system's");
  public static final ConfigKey<Duration> UPSTREAM_CONNECT_TIMEOUT = new ConfigKey<>(
      "upstream.connect-timeout", null, ValueType.duration(MIN_TIMEOUT, MAX_TIMEOUT),
      Duration.ofMillis(UpstreamLimits.DEFAULT_CONNECT_TIMEOUT_MILLIS),
      "TCP connect to the XMPP server, per address tried");
  public static final ConfigKey<Duration> UPSTREAM_TLS_HANDSHAKE_TIMEOUT = new ConfigKey<>(
      "upstream.tls-handshake-timeout", null, ValueType.duration(MIN_TIMEOUT, MAX_TIMEOUT),
      Duration.ofMillis(UpstreamLimits.DEFAULT_TLS_HANDSHAKE_TIMEOUT_MILLIS),
      "TLS handshake with the XMPP server, direct or after STARTTLS");
  public static final ConfigKey<Duration> UPSTREAM_FEATURES_TIMEOUT = new ConfigKey<>(
      "upstream.features-timeout", null, ValueType.duration(MIN_TIMEOUT, MAX_TIMEOUT),
      Duration.ofMillis(UpstreamLimits.DEFAULT_FEATURES_TIMEOUT_MILLIS),
      "from the connection until the server's stream features");
  public static final ConfigKey<Integer> UPSTREAM_MAX_STANZA_SIZE = new ConfigKey<>(
      "upstream.max-stanza-size", null, ValueType.integer(MIN_STREAM_SIZE,
          Integer.MAX_VALUE),
      UpstreamLimits.DEFAULT_MAX_SERVER_STANZA_CHARS,
      "largest element the XMPP server may send, in characters; beyond, the session ends");
  public static final ConfigKey<Integer> UPSTREAM_MAX_CLIENT_STANZA_SIZE = new ConfigKey<>(
      "upstream.max-client-stanza-size", null, ValueType.integer(MIN_STREAM_SIZE,
          Integer.MAX_VALUE),
      UpstreamLimits.DEFAULT_MAX_CLIENT_STANZA_CHARS,
      "largest element a client may send, in characters; beyond, policy-violation");
  public static final ConfigKey<Integer> UPSTREAM_MAX_BUFFERED_BYTES = new ConfigKey<>(
      "upstream.max-buffered-bytes", null, ValueType.integer(MIN_STREAM_SIZE,
          Integer.MAX_VALUE),
      UpstreamLimits.DEFAULT_MAX_BUFFERED_BYTES,
      "bytes from the server a session holds for its client before reading pauses; also bytes"
          + " for a server that stopped reading, beyond the socket buffers, before the session"
          + " ends");
  public static final ConfigKey<ServedDomains> DOMAINS = new ConfigKey<>("domains", "--domain",
      ValueType.domains(), new ServedDomains(ServerConfig.DEFAULT_DOMAINS, List.of()),
      "XMPP domains served; each a name (relayed to upstream.address over plain TCP) or a"
          + " mapping {name, address, tls, trust-store, proxy-protocol, allow-private-addresses,"
          + " route}; other 'to' domains get host-unknown");
  public static final ConfigKey<List<DomainRoute>> SERVERS = new ConfigKey<>("servers",
      "--server", ValueType.servers(), List.of(),
      "more served domains as --server lines: DOMAIN,key=value,... (same keys as a domains"
          + " mapping); in the environment separated by ';'");
  public static final ConfigKey<Integer> SESSION_MAX_WAIT = new ConfigKey<>("session.max-wait",
      null, ValueType.integer(1, 65_535), SessionLimits.DEFAULT_MAX_WAIT,
      "longest wait (seconds) a session may hold a request; proxies in front must time out"
          + " later");
  public static final ConfigKey<Integer> SESSION_MAX_HOLD = new ConfigKey<>("session.max-hold",
      null, ValueType.integer(0, 254), SessionLimits.DEFAULT_MAX_HOLD,
      "most requests a session may hold at once");
  public static final ConfigKey<Integer> SESSION_INACTIVITY = new ConfigKey<>(
      "session.inactivity", null, ValueType.integer(1, 86_400),
      SessionLimits.DEFAULT_INACTIVITY,
      "seconds without a request after which a session ends");
  public static final ConfigKey<Integer> SESSION_POLLING = new ConfigKey<>("session.polling",
      null, ValueType.integer(0, 3_600), SessionLimits.DEFAULT_POLLING,
      "shortest polling interval (seconds) advertised to clients");
  public static final ConfigKey<Integer> SESSION_MAX_REPEATED_RIDS = new ConfigKey<>(
      "session.max-repeated-rids", null, ValueType.integer(0, 1_000),
      SessionLimits.DEFAULT_MAX_REPEATED_RIDS,
      "how often a client may resend one rid before policy-violation");
  public static final ConfigKey<Integer> LIMITS_MAX_SESSIONS = new ConfigKey<>(
      "limits.max-sessions", null, ValueType.integer(1, 10_000_000),
      AdmissionLimits.DEFAULT_MAX_SESSIONS,
      "most live sessions on this node; more get policy-violation");
  public static final ConfigKey<Integer> LIMITS_NEW_SESSIONS_PER_IP = new ConfigKey<>(
      "limits.new-sessions-per-ip-per-second", null, ValueType.integer(0, 1_000_000),
      AdmissionLimits.DEFAULT_NEW_SESSIONS_PER_IP_PER_SECOND,
      "most session creations per client IP per second; more get policy-violation; 0: no limit");
  public static final ConfigKey<Integer> LIMITS_MAX_BODY_SIZE = new ConfigKey<>(
      "limits.max-body-size", null, ValueType.integer(1024, 64 << 20),
      BodyLimits.DEFAULT_MAX_BYTES,
      "largest request body in bytes; larger requests get policy-violation");
  public static final ConfigKey<Duration> DRAIN_GRACE_PERIOD = new ConfigKey<>(
      "drain.grace-period", "--drain-grace-period",
      ValueType.duration(Duration.ZERO, Duration.ofMillis(Integer.MAX_VALUE)),
      DrainConfig.DEFAULT_GRACE_PERIOD,
      "after SIGTERM, how long existing sessions keep working before system-shutdown");
  public static final ConfigKey<URI> DRAIN_SEE_OTHER_URI = new ConfigKey<>("drain.see-other-uri",
      "--see-other-uri", ValueType.httpUri(), null,
      "while draining, new sessions get see-other-uri with this URI; empty: system-shutdown");
  public static final ConfigKey<Integer> THREADS_HTTP_MAX = new ConfigKey<>("threads.http-max",
      null, ValueType.integer(ThreadsConfig.MIN_HTTP_THREADS, 10_000),
      ThreadsConfig.DEFAULT_HTTP_MAX_THREADS,
      "most threads of the HTTP listener; requests never wait on a thread, so a few per core"
          + " serve any number of sessions");
  public static final ConfigKey<Integer> THREADS_SESSION_LOOPS = new ConfigKey<>(
      "threads.session-loops", null, ValueType.integer(0, 1_024),
      ThreadsConfig.DEFAULTS.sessionLoops(),
      "event loops running the sessions and their XMPP streams; 0: two per core");
  public static final ConfigKey<String> LOG_LEVEL = new ConfigKey<>("log.level", "--log-level",
      ValueType.oneOf(LogConfig.LEVELS), LogConfig.DEFAULT_LEVEL,
      "root log level: TRACE, DEBUG (one line per request), INFO (session lifecycle), WARN");
  public static final ConfigKey<String> LOG_FORMAT = new ConfigKey<>("log.format",
      "--log-format", ValueType.oneOf(LogConfig.FORMATS),
      LogConfig.DEFAULT_FORMAT,
      "text, or json: one JSON object per line for log shippers");
  public static final ConfigKey<Boolean> LOG_WIRE = new ConfigKey<>("log.wire", null,
      ValueType.bool(), LogConfig.DEFAULTS.wire(),
      "log every request, response and stanza on the dev.bindery.wire logger at TRACE"
          + " (payloads include passwords during SASL PLAIN: debugging only)");

  private final String path;
  private final String flag;
  private final ValueType<T> type;
  private final T defaultValue;
  private final String description;

  private ConfigKey(String path, String flag, ValueType<T> type, T defaultValue,
      String description) {
    this.path = Objects.requireNonNull(path, "path");
    this.flag = flag;
    this.type = Objects.requireNonNull(type, "type");
    this.defaultValue = defaultValue;
    this.description = Objects.requireNonNull(description, "description");
    ALL.add(this);
  }

  /** Every key, in the order of {@code docs/configuration.md}. */
  public static List<ConfigKey<?>> values() {
    return Collections.unmodifiableList(ALL);
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

  /** What the value is and which values it accepts. */
  public ValueType<T> type() {
    return type;
  }

  /** The value when no source sets it; null for "none". */
  public T defaultValue() {
    return defaultValue;
  }

  /** The default, as it would be written in the config file; empty for none. */
  public String defaultText() {
    return type.write(defaultValue);
  }

  public String description() {
    return description;
  }

  /**
   * Reads {@code setting} as this key's type.
   *
   * @throws ConfigException naming this key (and where in a list), the setting's origin, and
   *                         what was expected
   */
  T read(Setting setting) {
    try {
      return type.read(setting.value());
    } catch (ValueType.Invalid e) {
      throw ConfigException.of(path + e.at(), setting.origin(), e.getMessage());
    }
  }

  /** The key with this dotted path. */
  public static Optional<ConfigKey<?>> ofPath(String path) {
    return ALL.stream().filter(k -> k.path.equals(path)).findFirst();
  }

  /** The key this flag sets. */
  public static Optional<ConfigKey<?>> ofFlag(String flag) {
    return ALL.stream().filter(k -> flag.equals(k.flag)).findFirst();
  }

  @Override
  public String toString() {
    return path;
  }
}
