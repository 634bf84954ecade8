package dev.bindery.server.upstream;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Stateless. Reads a {@link DomainRoute} option by option, with the per-domain keys of {@code
 * docs/configuration.md}: from one {@code --server} line ({@code example.com,address=
 * xmpp.example.com:5222,tls=direct,trust-store=/etc/ca.pem,proxy-protocol=v2,
 * allow-private-addresses=true,route=xmpp2.example.com:5222}) with {@link #parse}, and from a
 * {@code domains} mapping in the config file with {@link Options}, so that both mean the same
 * and fail with the same messages. Options left out keep the safe defaults of {@link
 * DomainRoute#srv}.
 */
public final class DomainRouteSpec {

  /** The per-domain keys, besides the domain's name; {@code route} may be given repeatedly. */
  public static final List<String> KEYS = List.of("address", "tls", "trust-store",
      "proxy-protocol", "allow-private-addresses", "route");

  private DomainRouteSpec() {}

  /**
   * Reads a {@code --server} line.
   *
   * @throws IllegalArgumentException naming the bad part
   */
  public static DomainRoute parse(String spec) {
    String[] parts = spec.split(",");
    Options options = new Options(parts[0].trim());
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i].trim();
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("invalid option: " + part + " (expected: key=value)");
      }
      options.set(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
    }
    return options.build();
  }

  /** {@code route} as a {@code --server} line that {@link #parse} reads back. */
  public static String format(DomainRoute route) {
    StringBuilder b = new StringBuilder(route.domain());
    if (route.fixed() != null) {
      b.append(",address=").append(route.fixed());
    }
    b.append(",tls=").append(route.tls().key());
    if (route.trustStore() != null) {
      b.append(",trust-store=").append(route.trustStore());
    }
    b.append(",proxy-protocol=").append(route.proxyProtocol().key())
        .append(",allow-private-addresses=").append(route.allowPrivateAddresses());
    route.allowedRoutes().forEach(r -> b.append(",route=").append(r));
    return b.toString();
  }

  /** Not thread-safe. One domain's route, read one {@code key=value} option at a time. */
  public static final class Options {
    private DomainRoute route;
    private final List<Endpoint> routes = new ArrayList<>();

    /** Starts from the safe defaults for {@code domain}; throws when it is not a domain. */
    public Options(String domain) {
      this.route = DomainRoute.srv(domain);
    }

    /**
     * Applies one option; a repeated one replaces the last, except {@code route}, which adds.
     *
     * @throws IllegalArgumentException an unknown key, or a value it does not take
     */
    public Options set(String key, String value) {
      String k = key.toLowerCase(Locale.ROOT);
      route = switch (k) {
        case "address" -> route.withFixed(Endpoint.parse(value));
        case "tls" -> route.withTls(TlsMode.parse(value));
        case "trust-store" -> route.withTrustStore(Path.of(value));
        case "proxy-protocol" -> route.withProxyProtocol(ProxyProtocol.parse(value));
        case "allow-private-addresses" -> route.withAllowPrivateAddresses(bool(k, value));
        case "route" -> {
          routes.add(Endpoint.parse(value));
          yield route;
        }
        default -> throw new IllegalArgumentException("unknown option: " + k
            + " (expected: " + String.join(", ", KEYS) + ")");
      };
      return this;
    }

    /** The route with the options set so far. */
    public DomainRoute build() {
      return route.withAllowedRoutes(routes);
    }
  }

  private static boolean bool(String key, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new IllegalArgumentException(
          "invalid " + key + ": " + value + " (expected: true or false)");
    };
  }
}
