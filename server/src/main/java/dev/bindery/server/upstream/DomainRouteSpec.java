package dev.bindery.server.upstream;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Stateless. Reads a {@link DomainRoute} from one line, as {@code --server} takes it: the domain,
 * then {@code key=value} options with the configuration keys of {@code docs/configuration.md}:
 * {@code example.com,address=xmpp.example.com:5222,tls=direct,trust-store=/etc/ca.pem,
 * proxy-protocol=v2,allow-private-addresses=true,route=xmpp2.example.com:5222}. Options left out
 * keep the safe defaults of {@link DomainRoute#srv}.
 */
public final class DomainRouteSpec {

  private DomainRouteSpec() {}

  /** Parses {@code spec}; throws {@link IllegalArgumentException} naming the bad part. */
  public static DomainRoute parse(String spec) {
    String[] parts = spec.split(",");
    DomainRoute route = DomainRoute.srv(parts[0].trim());
    List<Endpoint> routes = new ArrayList<>();
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i].trim();
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("invalid option: " + part + " (expected: key=value)");
      }
      String key = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = part.substring(eq + 1).trim();
      route = switch (key) {
        case "address" -> route.withFixed(Endpoint.parse(value));
        case "tls" -> route.withTls(TlsMode.parse(value));
        case "trust-store" -> route.withTrustStore(Path.of(value));
        case "proxy-protocol" -> route.withProxyProtocol(ProxyProtocol.parse(value));
        case "allow-private-addresses" -> route.withAllowPrivateAddresses(bool(key, value));
        case "route" -> {
          routes.add(Endpoint.parse(value));
          yield route;
        }
        default -> throw new IllegalArgumentException("unknown option: " + key
            + " (expected: address, tls, trust-store, proxy-protocol, allow-private-addresses,"
            + " route)");
      };
    }
    return route.withAllowedRoutes(routes);
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
