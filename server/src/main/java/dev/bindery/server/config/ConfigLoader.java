package dev.bindery.server.config;

import dev.bindery.protocol.body.BodyLimits;
import dev.bindery.protocol.session.SessionLimits;
import dev.bindery.server.upstream.DomainRoute;
import dev.bindery.server.upstream.DomainRouteSpec;
import dev.bindery.server.upstream.Endpoint;
import dev.bindery.server.upstream.UpstreamLimits;
import dev.bindery.server.upstream.UpstreamPolicy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Stateless. Builds the server's configuration from, in rising precedence: the defaults, the
 * config file, {@code BINDERY_*} environment variables, and command-line flags. Every value is
 * checked here, so an invalid one fails at start with a {@link ConfigException} naming the key,
 * where the value came from, and the problem.
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
  public static ServerConfig load(Path file, Map<String, String> env, Map<ConfigKey, String> flags) {
    Map<ConfigKey, Setting> settings = new EnumMap<>(ConfigKey.class);
    if (file != null) {
      settings.putAll(YamlConfigFile.read(file));
    }
    for (ConfigKey key : ConfigKey.values()) {
      String value = env.get(key.env());
      if (value != null) {
        settings.put(key, new Setting(value, "env " + key.env()));
      }
    }
    for (Map.Entry<ConfigKey, String> e : flags.entrySet()) {
      ConfigKey key = e.getKey();
      settings.put(key, new Setting(e.getValue(),
          "flag " + key.flag().orElse("--set " + key.path())));
    }
    return bind(settings);
  }

  private static ServerConfig bind(Map<ConfigKey, Setting> settings) {
    Values v = new Values(settings);
    Endpoint upstream = v.endpoint(ConfigKey.UPSTREAM_ADDRESS);
    SessionLimits limits = new SessionLimits(
        v.integer(ConfigKey.SESSION_MAX_WAIT, 1, 65_535),
        v.integer(ConfigKey.SESSION_MAX_HOLD, 0, 254),
        v.integer(ConfigKey.SESSION_INACTIVITY, 1, 86_400),
        v.integer(ConfigKey.SESSION_POLLING, 0, 3_600),
        v.integer(ConfigKey.SESSION_MAX_REPEATED_RIDS, 0, 1_000))
        // not (yet) configurable: what the embedding defaults offer, e.g. response compression
        .withAccept(ServerConfig.defaults().sessionLimits().accept());
    BodyLimits body = BodyLimits.DEFAULTS;
    ServerConfig.Builder c = ServerConfig.builder()
        .http(new HttpConfig(v.text(ConfigKey.HTTP_BIND), v.port(ConfigKey.HTTP_PORT, 0),
            v.list(ConfigKey.HTTP_ALLOWED_ORIGINS), v.listOrEmpty(ConfigKey.HTTP_TRUSTED_PROXIES),
            https(v), new Http2Config(v.bool(ConfigKey.HTTP_H2_ENABLED),
            v.integer(ConfigKey.HTTP_H2_MAX_CONCURRENT_STREAMS, 1, 1_000_000),
            v.integer(ConfigKey.HTTP_H2_INITIAL_STREAM_WINDOW, Http2Config.MIN_WINDOW,
                Http2Config.MAX_WINDOW),
            v.integer(ConfigKey.HTTP_H2_INITIAL_CONNECTION_WINDOW, Http2Config.MIN_WINDOW,
                Http2Config.MAX_WINDOW),
            v.integer(ConfigKey.HTTP_H2_MAX_CONTROL_FRAMES, 1, 10_000_000))))
        .admin(new AdminConfig(v.text(ConfigKey.ADMIN_BIND), v.port(ConfigKey.ADMIN_PORT, 0)))
        .nodeName(nodeName(v))
        .sessionLimits(limits)
        .bodyLimits(new BodyLimits(v.integer(ConfigKey.LIMITS_MAX_BODY_SIZE, 1024, 64 << 20),
            body.maxDepth(), body.maxAttributeLength(), body.maxAttributes(), body.maxPayloads()))
        .admission(new AdmissionLimits(
            v.integer(ConfigKey.LIMITS_MAX_SESSIONS, 1, 10_000_000),
            v.integer(ConfigKey.LIMITS_NEW_SESSIONS_PER_IP, 0, 1_000_000)))
        .drain(new DrainConfig(v.duration(ConfigKey.DRAIN_GRACE_PERIOD),
            seeOtherUri(v, ConfigKey.DRAIN_SEE_OTHER_URI)))
        .log(new LogConfig(
            v.oneOf(ConfigKey.LOG_LEVEL, "TRACE", "DEBUG", "INFO", "WARN", "ERROR"),
            v.oneOf(ConfigKey.LOG_FORMAT, "text", "json"), v.bool(ConfigKey.LOG_WIRE)))
        .threads(new ThreadsConfig(
            v.integer(ConfigKey.THREADS_HTTP_MAX, ThreadsConfig.MIN_HTTP_THREADS, 10_000),
            v.integer(ConfigKey.THREADS_SESSION_LOOPS, 0, 1_024)));
    try {
      return c.upstream(policy(settings, v, upstream)).build();
    } catch (ConfigException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid configuration: " + e.getMessage());
    }
  }

  private static String nodeName(Values v) {
    String name = v.text(ConfigKey.NODE_NAME);
    if (!name.isEmpty() && !name.matches("[A-Za-z0-9_-]{1,32}")) {
      throw v.invalid(ConfigKey.NODE_NAME, "expected 1 to 32 letters, digits, '-' or '_'"
          + " (it becomes the sids' prefix and the load balancer's server name)");
    }
    return name;
  }

  private static HttpsConfig https(Values v) {
    String certificate = v.text(ConfigKey.HTTP_TLS_CERTIFICATE);
    String key = v.text(ConfigKey.HTTP_TLS_KEY);
    int port = v.port(ConfigKey.HTTP_TLS_PORT, 0);
    if (certificate.isEmpty() && key.isEmpty()) {
      return new HttpsConfig(port, null, null);
    }
    if (certificate.isEmpty() || key.isEmpty()) {
      ConfigKey missing = certificate.isEmpty()
          ? ConfigKey.HTTP_TLS_CERTIFICATE : ConfigKey.HTTP_TLS_KEY;
      throw v.invalid(missing, "the HTTPS listener needs both http.tls.certificate and"
          + " http.tls.key");
    }
    return new HttpsConfig(port, Path.of(certificate), Path.of(key));
  }

  /**
   * The upstream policy: plain-name domains go to {@code upstream.address} over plain TCP (the
   * {@code --upstream}/{@code --domain} shorthand); mapping entries and {@code servers} lines are
   * {@code --server} routes (SRV and verified TLS unless they say otherwise).
   */
  private static UpstreamPolicy policy(Map<ConfigKey, Setting> settings, Values v,
      Endpoint upstream) {
    UpstreamLimits limits = new UpstreamLimits(
        v.millis(ConfigKey.UPSTREAM_CONNECT_TIMEOUT, 1, 600_000),
        v.millis(ConfigKey.UPSTREAM_TLS_HANDSHAKE_TIMEOUT, 1, 600_000),
        v.millis(ConfigKey.UPSTREAM_FEATURES_TIMEOUT, 1, 600_000),
        v.integer(ConfigKey.UPSTREAM_MAX_STANZA_SIZE, 1024, Integer.MAX_VALUE),
        v.integer(ConfigKey.UPSTREAM_MAX_CLIENT_STANZA_SIZE, 1024, Integer.MAX_VALUE),
        v.integer(ConfigKey.UPSTREAM_MAX_BUFFERED_BYTES, 1024, Integer.MAX_VALUE));
    List<InetSocketAddress> nameServers = new ArrayList<>();
    for (String ns : v.listOrEmpty(ConfigKey.UPSTREAM_NAME_SERVERS)) {
      try {
        Endpoint e = Endpoint.parse(ns);
        nameServers.add(new InetSocketAddress(e.host(), e.port()));
      } catch (IllegalArgumentException e) {
        throw v.invalid(ConfigKey.UPSTREAM_NAME_SERVERS, e.getMessage());
      }
    }
    List<String> plain = new ArrayList<>();
    List<DomainRoute> routes = new ArrayList<>();
    domains(settings.get(ConfigKey.DOMAINS), v, plain, routes);
    Setting servers = settings.get(ConfigKey.SERVERS);
    if (servers != null) {
      List<String> lines = new ArrayList<>();
      if (servers.value() instanceof List<?> list) {
        list.forEach(o -> lines.add(String.valueOf(o)));
      } else {
        lines.addAll(List.of(String.valueOf(servers.value()).split(";")));
      }
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).trim();
        if (!line.isEmpty()) {
          routes.add(route(ConfigKey.SERVERS.path() + "[" + i + "]", servers.origin(), line));
        }
      }
    }
    // as with --server: the default localhost only when nothing else is configured; a
    // domains list of mappings alone has no plain names to relay to upstream.address
    boolean domainsSet = settings.containsKey(ConfigKey.DOMAINS);
    List<DomainRoute> all = new ArrayList<>();
    if ((domainsSet || routes.isEmpty()) && !plain.isEmpty()) {
      all.addAll(UpstreamPolicy.plainLoopback(upstream, plain).domains());
    }
    all.addAll(routes);
    return new UpstreamPolicy(all, limits, nameServers);
  }

  private static DomainRoute route(String at, String origin, String spec) {
    try {
      return DomainRouteSpec.parse(spec);
    } catch (IllegalArgumentException e) {
      throw ConfigException.of(at, origin, e.getMessage());
    }
  }

  private static URI seeOtherUri(Values v, ConfigKey key) {
    String text = v.text(key);
    if (text.isEmpty()) {
      return null;
    }
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        throw v.invalid(key, "invalid URI: " + text + " (expected: an absolute http(s) URI)");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw v.invalid(key, "invalid URI: " + text + " (" + e.getReason() + ")");
    }
  }

  /** Plain names into {@code plain}; mapping entries, as --server routes, into {@code routes}. */
  private static void domains(Setting setting, Values v, List<String> plain,
      List<DomainRoute> routes) {
    ConfigKey key = ConfigKey.DOMAINS;
    Set<String> seen = new HashSet<>();
    if (setting == null || !(setting.value() instanceof List<?> entries)) {
      for (String name : v.list(key)) {
        plain.add(checkDomain(name, v, key.path(), seen));
      }
      return;
    }
    for (int i = 0; i < entries.size(); i++) {
      String at = key.path() + "[" + i + "]";
      Object entry = entries.get(i);
      if (entry instanceof String name) {
        plain.add(checkDomain(name, v, at, seen));
      } else if (entry instanceof Map<?, ?> map) {
        Object name = map.get("name");
        if (!(name instanceof String n) || n.isBlank()) {
          throw ConfigException.of(at + ".name", setting.origin(), "missing domain name");
        }
        StringBuilder spec = new StringBuilder(checkDomain(n, v, at, seen));
        for (Map.Entry<?, ?> e : map.entrySet()) {
          String field = String.valueOf(e.getKey());
          if (field.equals("name")) {
            continue;
          }
          if (!DOMAIN_KEYS.contains(field)) {
            throw ConfigException.of(at + "." + field, setting.origin(),
                "unknown key (expected: name, " + String.join(", ", DOMAIN_KEYS) + ")");
          }
          List<?> values = e.getValue() instanceof List<?> l ? l : List.of(e.getValue());
          for (Object value : values) {
            String text = String.valueOf(value);
            if (text.contains(",")) {
              throw ConfigException.of(at + "." + field, setting.origin(),
                  "invalid value: " + text);
            }
            spec.append(',').append(field).append('=').append(text);
          }
        }
        routes.add(route(at, setting.origin(), spec.toString()));
      } else {
        throw ConfigException.of(at, setting.origin(),
            "expected a domain name or a mapping with a name, not " + entry);
      }
    }
    if (plain.isEmpty() && routes.isEmpty()) {
      throw ConfigException.of(key.path(), setting.origin(), "no domain configured");
    }
  }

  /** The keys of a domain mapping: those of {@code --server} (docs/configuration.md). */
  static final List<String> DOMAIN_KEYS = List.of("address", "tls", "trust-store",
      "proxy-protocol", "allow-private-addresses", "route");

  private static String checkDomain(String name, Values v, String at, Set<String> seen) {
    String domain = name.trim().toLowerCase(Locale.ROOT);
    if (domain.isEmpty() || domain.contains("/") || domain.contains("@")
        || domain.contains(" ") || domain.contains(",")) {
      throw v.invalid(ConfigKey.DOMAINS, at + ": invalid domain: '" + name + "'");
    }
    if (!seen.add(domain)) {
      throw v.invalid(ConfigKey.DOMAINS, at + ": domain listed twice: " + domain);
    }
    return domain;
  }

  /** Not thread-safe. Typed access to the settings, with defaults and key-naming errors. */
  private record Values(Map<ConfigKey, Setting> settings) {

    Setting setting(ConfigKey key) {
      Setting s = settings.get(key);
      return s != null ? s : new Setting(key.defaultValue(), "default");
    }

    ConfigException invalid(ConfigKey key, String problem) {
      return ConfigException.of(key.path(), setting(key).origin(), problem);
    }

    String text(ConfigKey key) {
      Object value = setting(key).value();
      if (value instanceof List<?> || value instanceof Map<?, ?>) {
        throw invalid(key, "expected a single value");
      }
      return value == null ? "" : String.valueOf(value).trim();
    }

    int integer(ConfigKey key, int min, int max) {
      String text = text(key).replace("_", "");
      try {
        long n = Long.parseLong(text);
        if (n >= min && n <= max) {
          return (int) n;
        }
      } catch (NumberFormatException e) {
        // reported below with the expected range
      }
      throw invalid(key, "invalid number: " + text(key) + " (expected: " + min + " ~ " + max + ")");
    }

    int port(ConfigKey key, int min) {
      String text = text(key);
      try {
        int port = Integer.parseInt(text);
        if (port >= min && port <= 65535) {
          return port;
        }
      } catch (NumberFormatException e) {
        // reported below with the expected range
      }
      throw invalid(key, "invalid port: " + text + " (expected: " + min + " ~ 65535)");
    }

    boolean bool(ConfigKey key) {
      String text = text(key).toLowerCase(Locale.ROOT);
      return switch (text) {
        case "true", "yes", "on", "1" -> true;
        case "false", "no", "off", "0" -> false;
        default -> throw invalid(key, "invalid boolean: " + text + " (expected: true or false)");
      };
    }

    String oneOf(ConfigKey key, String... allowed) {
      String text = text(key);
      for (String a : allowed) {
        if (a.equalsIgnoreCase(text)) {
          return a;
        }
      }
      throw invalid(key, "invalid value: " + text + " (expected one of: "
          + String.join(", ", allowed) + ")");
    }

    Endpoint endpoint(ConfigKey key) {
      try {
        return Endpoint.parse(text(key));
      } catch (IllegalArgumentException e) {
        throw invalid(key, e.getMessage());
      }
    }

    /** Like {@link #list} but empty is allowed. */
    List<String> listOrEmpty(ConfigKey key) {
      Object value = setting(key).value();
      if (value == null || (!(value instanceof List<?>) && text(key).isEmpty())
          || (value instanceof List<?> l && l.isEmpty())) {
        return List.of();
      }
      return list(key);
    }

    /** A list from the file, or comma-separated text; {@code [a, b]} text is accepted too. */
    List<String> list(ConfigKey key) {
      Object value = setting(key).value();
      List<String> items = new ArrayList<>();
      if (value instanceof List<?> list) {
        for (Object o : list) {
          if (o instanceof List<?> || o instanceof Map<?, ?>) {
            throw invalid(key, "expected a list of plain values");
          }
          items.add(String.valueOf(o).trim());
        }
      } else {
        String text = text(key);
        if (text.startsWith("[") && text.endsWith("]")) {
          text = text.substring(1, text.length() - 1);
        }
        for (String s : text.split(",")) {
          items.add(s.trim());
        }
      }
      items.removeIf(String::isEmpty);
      if (items.isEmpty()) {
        throw invalid(key, "empty list");
      }
      return items;
    }

    Duration duration(ConfigKey key) {
      return Duration.ofMillis(millis(key, 0, Integer.MAX_VALUE));
    }

    /** {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, or a bare number of seconds. */
    int millis(ConfigKey key, long min, long max) {
      String text = text(key).toLowerCase(Locale.ROOT);
      long unit = 1000;
      String digits = text;
      if (text.endsWith("ms")) {
        unit = 1;
        digits = text.substring(0, text.length() - 2);
      } else if (text.endsWith("s")) {
        digits = text.substring(0, text.length() - 1);
      } else if (text.endsWith("m")) {
        unit = 60_000;
        digits = text.substring(0, text.length() - 1);
      } else if (text.endsWith("h")) {
        unit = 3_600_000;
        digits = text.substring(0, text.length() - 1);
      }
      try {
        long n = Long.parseLong(digits.trim());
        if (n >= 0 && n <= Integer.MAX_VALUE / unit) {
          long ms = n * unit;
          if (ms >= min && ms <= max) {
            return (int) ms;
          }
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw invalid(key, "invalid duration: " + text(key) + " (expected e.g. 500ms, 30s, 5m;"
          + " between " + min + " ms and " + max + " ms)");
    }
  }
}
