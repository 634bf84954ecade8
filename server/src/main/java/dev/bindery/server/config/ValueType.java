package dev.bindery.server.config;

import dev.bindery.server.upstream.DomainRoute;
import dev.bindery.server.upstream.DomainRouteSpec;
import dev.bindery.server.upstream.Endpoint;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Immutable. The type of a {@link ConfigKey}'s value: how it is read from the config file (a YAML
 * scalar, or for a list type a YAML list) and from text (the environment, flags), how a value is
 * written back (the defaults in {@code --help} and {@code docs/configuration.md}), and what it
 * accepts, e.g. {@code integer, 1 ~ 65535}. A value it refuses fails with a message that says what
 * was expected, e.g. {@code invalid port: 80a (expected: 0 ~ 65535)}.
 *
 * @param <T> the Java type of the value
 */
public final class ValueType<T> {

  /** What a node name may be: a load balancer's server name, and never the sid's separator. */
  private static final Pattern NODE_NAME = ServerConfig.NODE_NAME;

  private final String name;
  private final String accepts;
  private final String separator;
  private final Reader<T> reader;
  private final Function<? super T, String> writer;

  private ValueType(String name, String accepts, String separator, Reader<T> reader,
      Function<? super T, String> writer) {
    this.name = name;
    this.accepts = accepts;
    this.separator = separator;
    this.reader = reader;
    this.writer = writer;
  }

  /** Stateless. Reads a value: a String, Number or Boolean, or for a list type a List. */
  @FunctionalInterface
  private interface Reader<T> {
    /** @throws Invalid what is wrong with {@code value} */
    T read(Object value);
  }

  /**
   * Immutable. A value a type refuses: the problem, and where in a list or mapping it is, e.g.
   * {@code [1]} or {@code [0].color}; empty for the value as a whole.
   */
  static final class Invalid extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String at;

    Invalid(String problem) {
      this("", problem);
    }

    Invalid(String at, String problem) {
      super(problem);
      this.at = at;
    }

    String at() {
      return at;
    }
  }

  /** Reads {@code value}, a YAML scalar or list, or text; throws {@link Invalid}. */
  T read(Object value) {
    return reader.read(value);
  }

  /** {@code value} as it would be written in the config file; null is written as nothing. */
  String write(T value) {
    return value == null ? "" : writer.apply(value);
  }

  /** True when the config file may give a YAML list, and a flag may be repeated. */
  public boolean isList() {
    return separator != null;
  }

  /** What separates the items when a list is given as text: {@code ,} or {@code ;}. */
  public String separator() {
    return separator;
  }

  /** The type and what it accepts, e.g. {@code port, 0 ~ 65535} or {@code boolean}. */
  public String describe() {
    return accepts.isEmpty() ? name : name + ", " + accepts;
  }

  @Override
  public String toString() {
    return describe();
  }

  /** Any single value, e.g. an address to bind or a path: {@code name} says which. */
  static ValueType<String> text(String name) {
    return new ValueType<>(name, "", null, ValueType::scalar, s -> s);
  }

  /** A file path; empty for none (null). */
  static ValueType<Path> file() {
    return new ValueType<>("file", "empty: none", null, value -> {
      String text = scalar(value);
      return text.isEmpty() ? null : Path.of(text);
    }, Path::toString);
  }

  /** A whole number from {@code min} to {@code max}; {@code _} may group digits. */
  static ValueType<Integer> integer(int min, int max) {
    String range = max == Integer.MAX_VALUE ? ">= " + min : min + " ~ " + max;
    return new ValueType<>("integer", range, null, value -> {
      String text = scalar(value);
      try {
        long n = Long.parseLong(text.replace("_", ""));
        if (n >= min && n <= max) {
          return (int) n;
        }
      } catch (NumberFormatException e) {
        // reported below with the expected range
      }
      throw new Invalid("invalid number: " + text + " (expected: " + range + ")");
    }, String::valueOf);
  }

  /** A TCP port from {@code min} to 65535; 0 picks a free one. */
  static ValueType<Integer> port(int min) {
    return new ValueType<>("port", min + " ~ 65535", null, value -> {
      String text = scalar(value);
      try {
        int port = Integer.parseInt(text);
        if (port >= min && port <= 65535) {
          return port;
        }
      } catch (NumberFormatException e) {
        // reported below with the expected range
      }
      throw new Invalid("invalid port: " + text + " (expected: " + min + " ~ 65535)");
    }, String::valueOf);
  }

  /**
   * {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, or a bare number of seconds, from {@code
   * min} to {@code max}, both in whole milliseconds.
   */
  static ValueType<Duration> duration(Duration min, Duration max) {
    String range = max.toMillis() >= Integer.MAX_VALUE ? ">= " + format(min)
        : format(min) + " ~ " + format(max);
    return new ValueType<>("duration", range, null, value -> {
      String text = scalar(value);
      Duration d = parseDuration(text.toLowerCase(Locale.ROOT));
      if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        throw new Invalid("invalid duration: " + text + " (expected: " + range
            + ", e.g. 500ms, 30s, 5m)");
      }
      return d;
    }, ValueType::format);
  }

  /** {@code true} or {@code false}; also {@code yes}/{@code no}, {@code on}/{@code off}, 1/0. */
  static ValueType<Boolean> bool() {
    return new ValueType<>("boolean", "", null, value -> {
      String text = scalar(value).toLowerCase(Locale.ROOT);
      return switch (text) {
        case "true", "yes", "on", "1" -> true;
        case "false", "no", "off", "0" -> false;
        default -> throw new Invalid("invalid boolean: " + text + " (expected: true or false)");
      };
    }, String::valueOf);
  }

  /** One of {@code allowed}, in any case; read as it is written there. */
  static ValueType<String> oneOf(List<String> allowed) {
    String list = String.join(", ", allowed);
    return new ValueType<>("one of " + list, "", null, value -> {
      String text = scalar(value);
      for (String a : allowed) {
        if (a.equalsIgnoreCase(text)) {
          return a;
        }
      }
      throw new Invalid("invalid value: " + text + " (expected one of: " + list + ")");
    }, s -> s);
  }

  /**
   * A YAML list, or comma-separated text ({@code [a, b]} too); blank items are dropped.
   *
   * @param mayBeEmpty whether no item at all is a valid value
   */
  static ValueType<List<String>> list(boolean mayBeEmpty) {
    return new ValueType<>("list", mayBeEmpty ? "" : "not empty", ",", value -> {
      List<String> items = items(value, ",");
      if (items.isEmpty() && !mayBeEmpty) {
        throw new Invalid("empty list");
      }
      return List.copyOf(items);
    }, l -> String.join(", ", l));
  }

  /** {@code host:port} or {@code [v6]:port}. */
  static ValueType<Endpoint> endpoint() {
    return new ValueType<>("host:port", "", null, value -> endpoint(scalar(value)),
        Endpoint::toString);
  }

  /** A list of {@code host:port}; may be empty. */
  static ValueType<List<Endpoint>> endpoints() {
    return new ValueType<>("list of host:port", "", ",", value -> {
      List<Endpoint> endpoints = new ArrayList<>();
      for (String item : items(value, ",")) {
        endpoints.add(endpoint(item));
      }
      return List.copyOf(endpoints);
    }, l -> String.join(", ", l.stream().map(Endpoint::toString).toList()));
  }

  /** An absolute {@code http} or {@code https} URI; empty for none (null). */
  static ValueType<URI> httpUri() {
    return absoluteUri("http(s)", "http", "https");
  }

  /** An absolute {@code ws} or {@code wss} URI; empty for none (null). */
  static ValueType<URI> webSocketUri() {
    return absoluteUri("ws(s)", "ws", "wss");
  }

  private static ValueType<URI> absoluteUri(String label, String... schemes) {
    List<String> allowed = List.of(schemes);
    return new ValueType<>("URI", "absolute " + label + "; empty: none", null, value -> {
      String text = scalar(value);
      if (text.isEmpty()) {
        return null;
      }
      try {
        URI uri = new URI(text);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!allowed.contains(scheme) || uri.getHost() == null) {
          throw new Invalid("invalid URI: " + text + " (expected: an absolute " + label
              + " URI)");
        }
        return uri;
      } catch (URISyntaxException e) {
        throw new Invalid("invalid URI: " + text + " (" + e.getReason() + ")");
      }
    }, URI::toString);
  }

  /** A node name: 1 to 32 letters, digits, '-' or '_'; empty for none. */
  static ValueType<String> nodeName() {
    return new ValueType<>("node name", "1 to 32 letters, digits, '-' or '_'; empty: none", null,
        value -> {
          String name = scalar(value);
          if (!name.isEmpty() && !NODE_NAME.matcher(name).matches()) {
            throw new Invalid("expected 1 to 32 letters, digits, '-' or '_' (it becomes the"
                + " sids' prefix and the load balancer's server name)");
          }
          return name;
        }, s -> s);
  }

  /**
   * The served domains: each a name, relayed to {@code upstream.address}, or a mapping with
   * {@code name} and the per-domain keys of {@link DomainRouteSpec}; as text, names only. Only
   * the names are written back (the default has no mapping).
   */
  static ValueType<ServedDomains> domains() {
    return new ValueType<>("list of names or mappings", "", ",", ServedDomains::read,
        d -> String.join(", ", d.relayed()));
  }

  /** {@code --server} lines ({@code DOMAIN,key=value,...}); as text separated by {@code ;}. */
  static ValueType<List<DomainRoute>> servers() {
    return new ValueType<>("list of --server lines", "", ";", value -> {
      List<String> lines = value instanceof List<?> ? rawItems(value)
          : List.of(scalar(value).split(";", -1));
      List<DomainRoute> routes = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).trim();
        if (!line.isEmpty()) {
          try {
            routes.add(DomainRouteSpec.parse(line));
          } catch (IllegalArgumentException e) {
            throw new Invalid("[" + i + "]", e.getMessage());
          }
        }
      }
      return List.copyOf(routes);
    }, l -> String.join(";", l.stream().map(DomainRouteSpec::format).toList()));
  }

  private static Endpoint endpoint(String text) {
    try {
      return Endpoint.parse(text);
    } catch (IllegalArgumentException e) {
      throw new Invalid(e.getMessage());
    }
  }

  /** One value: a list or a mapping is refused. */
  static String scalar(Object value) {
    if (value instanceof List<?> || value instanceof Map<?, ?>) {
      throw new Invalid("expected a single value");
    }
    return value == null ? "" : String.valueOf(value).trim();
  }

  /** The items of a YAML list, or of text separated by {@code separator}; blanks dropped. */
  static List<String> items(Object value, String separator) {
    List<String> items = new ArrayList<>();
    if (value instanceof List<?>) {
      items.addAll(rawItems(value));
    } else {
      String text = scalar(value);
      if (text.startsWith("[") && text.endsWith("]")) {
        text = text.substring(1, text.length() - 1);
      }
      items.addAll(List.of(text.split(Pattern.quote(separator), -1)));
    }
    List<String> trimmed = new ArrayList<>();
    for (String item : items) {
      if (!item.isBlank()) {
        trimmed.add(item.trim());
      }
    }
    return trimmed;
  }

  /** The items of a YAML list as text; a nested list or mapping is refused. */
  private static List<String> rawItems(Object value) {
    List<String> items = new ArrayList<>();
    for (Object o : (List<?>) value) {
      if (o instanceof List<?> || o instanceof Map<?, ?>) {
        throw new Invalid("expected a list of plain values");
      }
      items.add(String.valueOf(o));
    }
    return items;
  }

  private static Duration parseDuration(String text) {
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
      return n >= 0 && n <= Integer.MAX_VALUE / unit ? Duration.ofMillis(n * unit) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The largest whole unit: {@code 1h}, {@code 5m}, {@code 30s}, {@code 250ms}. */
  private static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
