package dev.bindery.server.config;

import dev.bindery.protocol.body.BodyLimits;
import dev.bindery.protocol.session.SessionLimits;
import dev.bindery.server.upstream.DomainRoute;
import dev.bindery.server.upstream.Endpoint;
import dev.bindery.server.upstream.UpstreamLimits;
import dev.bindery.server.upstream.UpstreamPolicy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stateless. Builds the server's configuration from, in rising precedence: the defaults, the
 * config file, {@code BINDERY_*} environment variables, and command-line flags. Each value is
 * read by its {@link ConfigKey}'s type, so an invalid one fails at start with a {@link
 * ConfigException} naming the key, where the value came from, and what was expected; what is left
 * here is combining the sources and building the {@link ServerConfig} sections.
 */
public final class ConfigLoader {

  /** The environment variable naming the config file, when {@code --config} is not given. */
  public static final String CONFIG_ENV = "BINDERY_CONFIG";

  private ConfigLoader() {}

  /**
   * @param file  the config file, or null for none
   * @param env   the environment ({@code System.getenv()})
   * @param flags values from the command line by key, as text
   */
  public static ServerConfig load(Path file, Map<String, String> env,
      Map<ConfigKey<?>, String> flags) {
    Map<ConfigKey<?>, Setting> settings = new HashMap<>();
    if (file != null) {
      settings.putAll(YamlConfigFile.read(file));
    }
    for (ConfigKey<?> key : ConfigKey.values()) {
      String value = env.get(key.env());
      if (value != null) {
        settings.put(key, new Setting(value, "env " + key.env()));
      }
    }
    flags.forEach((key, value) -> settings.put(key,
        new Setting(value, "flag " + key.flag().orElse("--set " + key.path()))));
    Values v = new Values(settings);
    try {
      return ServerConfig.builder()
          .http(new HttpConfig(v.get(ConfigKey.HTTP_BIND), v.get(ConfigKey.HTTP_PORT),
              v.get(ConfigKey.HTTP_ALLOWED_ORIGINS), v.get(ConfigKey.HTTP_TRUSTED_PROXIES),
              https(v), http2(v), v.get(ConfigKey.HTTP_WEB_ROOT),
              v.get(ConfigKey.HTTP_HEADER_TIMEOUT)))
          .upstream(upstream(v))
          .sessionLimits(sessionLimits(v))
          .bodyLimits(bodyLimits(v))
          .admission(new AdmissionLimits(v.get(ConfigKey.LIMITS_MAX_SESSIONS),
              v.get(ConfigKey.LIMITS_NEW_SESSIONS_PER_IP)))
          .admin(new AdminConfig(v.get(ConfigKey.ADMIN_BIND), v.get(ConfigKey.ADMIN_PORT)))
          .drain(new DrainConfig(v.get(ConfigKey.DRAIN_GRACE_PERIOD),
              v.get(ConfigKey.DRAIN_SEE_OTHER_URI)))
          .log(new LogConfig(v.get(ConfigKey.LOG_LEVEL), v.get(ConfigKey.LOG_FORMAT),
              v.get(ConfigKey.LOG_WIRE)))
          .threads(new ThreadsConfig(v.get(ConfigKey.THREADS_HTTP_MAX),
              v.get(ConfigKey.THREADS_SESSION_LOOPS)))
          .nodeName(v.get(ConfigKey.NODE_NAME))
          .webSocket(webSocket(v))
          .discovery(new DiscoveryConfig(v.get(ConfigKey.DISCOVERY_BOSH_URL),
              v.get(ConfigKey.DISCOVERY_WEBSOCKET_URL)))
          .build();
    } catch (ConfigException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid configuration: " + e.getMessage());
    }
  }

  private static WebSocketConfig webSocket(Values v) {
    String path = v.get(ConfigKey.WEBSOCKET_PATH);
    if (!path.startsWith("/") || path.contains("*")) {
      throw v.invalid(ConfigKey.WEBSOCKET_PATH, "invalid path: " + path
          + " (expected: an absolute path such as " + WebSocketConfig.DEFAULT_PATH + ")");
    }
    Duration ping = v.get(ConfigKey.WEBSOCKET_PING_INTERVAL);
    Duration idle = v.get(ConfigKey.WEBSOCKET_IDLE_TIMEOUT);
    if (idle.compareTo(ping) <= 0) {
      throw v.invalid(ConfigKey.WEBSOCKET_IDLE_TIMEOUT, "the idle timeout (" + idle.toSeconds()
          + " s) must be longer than websocket.ping-interval (" + ping.toSeconds() + " s)");
    }
    return new WebSocketConfig(v.get(ConfigKey.WEBSOCKET_ENABLED), path, ping, idle);
  }

  private static HttpsConfig https(Values v) {
    Path certificate = v.get(ConfigKey.HTTP_TLS_CERTIFICATE);
    Path key = v.get(ConfigKey.HTTP_TLS_KEY);
    if ((certificate == null) != (key == null)) {
      throw v.invalid(certificate == null ? ConfigKey.HTTP_TLS_CERTIFICATE : ConfigKey.HTTP_TLS_KEY,
          "the HTTPS listener needs both http.tls.certificate and http.tls.key");
    }
    return new HttpsConfig(v.get(ConfigKey.HTTP_TLS_PORT), certificate, key);
  }

  private static Http2Config http2(Values v) {
    return new Http2Config(v.get(ConfigKey.HTTP_H2_ENABLED),
        v.get(ConfigKey.HTTP_H2_MAX_CONCURRENT_STREAMS),
        v.get(ConfigKey.HTTP_H2_INITIAL_STREAM_WINDOW),
        v.get(ConfigKey.HTTP_H2_INITIAL_CONNECTION_WINDOW),
        v.get(ConfigKey.HTTP_H2_MAX_CONTROL_FRAMES));
  }

  private static SessionLimits sessionLimits(Values v) {
    return new SessionLimits(v.get(ConfigKey.SESSION_MAX_WAIT), v.get(ConfigKey.SESSION_MAX_HOLD),
        v.get(ConfigKey.SESSION_INACTIVITY), v.get(ConfigKey.SESSION_POLLING),
        v.get(ConfigKey.SESSION_MAX_REPEATED_RIDS))
        // not (yet) configurable: what the embedding defaults offer, e.g. response compression
        .withAccept(ServerConfig.defaults().sessionLimits().accept());
  }

  private static BodyLimits bodyLimits(Values v) {
    BodyLimits d = BodyLimits.DEFAULTS;
    return new BodyLimits(v.get(ConfigKey.LIMITS_MAX_BODY_SIZE), d.maxDepth(),
        d.maxAttributeLength(), d.maxAttributes(), d.maxPayloads());
  }

  /**
   * The upstream policy: plain-name domains go to {@code upstream.address} over plain TCP (the
   * {@code --upstream}/{@code --domain} shorthand); mapping entries and {@code servers} lines are
   * routes of their own (SRV and verified TLS unless they say otherwise).
   */
  private static UpstreamPolicy upstream(Values v) {
    UpstreamLimits limits = new UpstreamLimits(
        (int) v.get(ConfigKey.UPSTREAM_CONNECT_TIMEOUT).toMillis(),
        (int) v.get(ConfigKey.UPSTREAM_TLS_HANDSHAKE_TIMEOUT).toMillis(),
        (int) v.get(ConfigKey.UPSTREAM_FEATURES_TIMEOUT).toMillis(),
        v.get(ConfigKey.UPSTREAM_MAX_STANZA_SIZE),
        v.get(ConfigKey.UPSTREAM_MAX_CLIENT_STANZA_SIZE),
        v.get(ConfigKey.UPSTREAM_MAX_BUFFERED_BYTES));
    List<InetSocketAddress> nameServers = new ArrayList<>();
    for (Endpoint e : v.get(ConfigKey.UPSTREAM_NAME_SERVERS)) {
      nameServers.add(new InetSocketAddress(e.host(), e.port()));
    }
    ServedDomains domains = v.get(ConfigKey.DOMAINS);
    List<DomainRoute> routes = new ArrayList<>(domains.routes());
    routes.addAll(v.get(ConfigKey.SERVERS));
    // as with --server: the default localhost only when nothing else is configured; a
    // domains list of mappings alone has no plain names to relay to upstream.address
    List<DomainRoute> all = new ArrayList<>();
    if ((v.isSet(ConfigKey.DOMAINS) || routes.isEmpty()) && !domains.relayed().isEmpty()) {
      all.addAll(UpstreamPolicy.plainLoopback(v.get(ConfigKey.UPSTREAM_ADDRESS),
          domains.relayed()).domains());
    }
    all.addAll(routes);
    return new UpstreamPolicy(all, limits, nameServers);
  }

  /** Not thread-safe. The settings by key, read by each key's type, with its default. */
  private record Values(Map<ConfigKey<?>, Setting> settings) {

    <T> T get(ConfigKey<T> key) {
      Setting s = settings.get(key);
      return s == null ? key.defaultValue() : key.read(s);
    }

    boolean isSet(ConfigKey<?> key) {
      return settings.containsKey(key);
    }

    ConfigException invalid(ConfigKey<?> key, String problem) {
      Setting s = settings.get(key);
      return ConfigException.of(key.path(), s == null ? "default" : s.origin(), problem);
    }
  }
}
