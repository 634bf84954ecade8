package dev.bindery.server.config;

import dev.bindery.server.upstream.DomainRoute;
import dev.bindery.server.upstream.DomainRouteSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Immutable. The value of the {@code domains} key: the plain names, relayed to {@code
 * upstream.address} over plain TCP, and the mapping entries, each read into its own route by
 * the per-option parse of {@code --server} lines ({@link DomainRouteSpec.Options}).
 *
 * @param relayed the plain names, lower case, in configuration order
 * @param routes  the mapping entries, in configuration order
 */
public record ServedDomains(List<String> relayed, List<DomainRoute> routes) {

  public ServedDomains {
    relayed = List.copyOf(relayed);
    routes = List.copyOf(routes);
  }

  /**
   * Reads the {@code domains} value: a YAML list of names and mappings, or names as text.
   *
   * @throws ValueType.Invalid what is wrong, and at which entry
   */
  static ServedDomains read(Object value) {
    List<String> relayed = new ArrayList<>();
    List<DomainRoute> routes = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    if (!(value instanceof List<?> entries)) {
      for (String name : ValueType.items(value, ",")) {
        relayed.add(domain(name, "", seen));
      }
      if (relayed.isEmpty()) {
        throw new ValueType.Invalid("empty list");
      }
      return new ServedDomains(relayed, routes);
    }
    for (int i = 0; i < entries.size(); i++) {
      String at = "[" + i + "]";
      Object entry = entries.get(i);
      if (entry instanceof String name) {
        relayed.add(domain(name, at, seen));
      } else if (entry instanceof Map<?, ?> map) {
        routes.add(route(map, at, seen));
      } else {
        throw new ValueType.Invalid(at, "expected a domain name or a mapping with a name, not " + entry);
      }
    }
    if (relayed.isEmpty() && routes.isEmpty()) {
      throw new ValueType.Invalid("no domain configured");
    }
    return new ServedDomains(relayed, routes);
  }

  /** A mapping entry: its name, then each key read as a {@code --server} option is. */
  private static DomainRoute route(Map<?, ?> map, String at, Set<String> seen) {
    Object name = map.get("name");
    if (!(name instanceof String n) || n.isBlank()) {
      throw new ValueType.Invalid(at + ".name", "missing domain name");
    }
    DomainRouteSpec.Options options = new DomainRouteSpec.Options(domain(n, at, seen));
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (key.equals("name")) {
        continue;
      }
      if (!DomainRouteSpec.KEYS.contains(key)) {
        throw new ValueType.Invalid(at + "." + key,
            "unknown key (expected: name, " + String.join(", ", DomainRouteSpec.KEYS) + ")");
      }
      List<?> values = e.getValue() instanceof List<?> l ? l : List.of(e.getValue());
      for (Object v : values) {
        try {
          options.set(key, String.valueOf(v).trim());
        } catch (IllegalArgumentException ex) {
          throw new ValueType.Invalid(at, ex.getMessage());
        }
      }
    }
    try {
      return options.build();
    } catch (IllegalArgumentException ex) {
      throw new ValueType.Invalid(at, ex.getMessage());
    }
  }

  private static String domain(String name, String at, Set<String> seen) {
    String domain = name.trim().toLowerCase(Locale.ROOT);
    if (domain.isEmpty() || domain.contains("/") || domain.contains("@")
        || domain.contains(" ") || domain.contains(",")) {
      throw new ValueType.Invalid(at, "invalid domain: '" + name + "'");
    }
    if (!seen.add(domain)) {
      throw new ValueType.Invalid(at, "domain listed twice: " + domain);
    }
    return domain;
  }
}
