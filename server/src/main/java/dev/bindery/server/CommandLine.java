package dev.bindery.server;

import dev.bindery.server.upstream.DomainRoute;
import dev.bindery.server.upstream.DomainRouteSpec;
import dev.bindery.server.upstream.Endpoint;
import dev.bindery.server.upstream.UpstreamLimits;
import dev.bindery.server.upstream.UpstreamPolicy;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Immutable result of reading the command line: flags override the defaults of {@link
 * ServerConfig}. Invalid flags fail with a message that names the flag.
 */
final class CommandLine {

  static final String USAGE = """
      Usage: java -jar bindery.jar [options]

      Bindery: an XMPP BOSH connection manager (XEP-0124, XEP-0206).
      Serves BOSH at http://BIND:PORT/http-bind and relays each session over its own TCP stream
      to an XMPP server.

      Options:
        --port PORT             HTTP port to listen on (default 5280; 0 picks a free port)
        --bind ADDRESS          address to listen on (default 127.0.0.1; 0.0.0.0 for all)
        --upstream HOST:PORT    the XMPP server's client port for the --domain(s), reached over
                                plain TCP: for a server on loopback (default 127.0.0.1:5222)
        --domain DOMAIN[,...]   XMPP domain(s) served via --upstream; repeatable (default
                                localhost)
        --server DOMAIN[,KEY=VALUE...]
                                a domain served with the safe defaults (DNS SRV, TLS required
                                and verified, public addresses only); options: address=HOST:PORT,
                                tls=required|optional|direct|none, trust-store=CA.pem,
                                proxy-protocol=none|v1|v2, allow-private-addresses=true,
                                route=HOST:PORT (repeatable); see docs/configuration.md
        --name-server HOST:PORT DNS server for SRV and address lookups (default: the system's)
        --trusted-proxies CIDR,...
                                reverse proxies whose X-Forwarded-For/Forwarded name the client
        --allowed-origins O,... CORS origins allowed (default *: any)
        --help                  show this help and exit
      """;

  final ServerConfig config;
  final boolean help;

  private CommandLine(ServerConfig config, boolean help) {
    this.config = config;
    this.help = help;
  }

  /** Reads {@code args}; throws {@link IllegalArgumentException} naming the bad flag. */
  static CommandLine parse(String... args) {
    ServerConfig config = ServerConfig.defaults();
    List<String> domains = new ArrayList<>();
    List<DomainRoute> servers = new ArrayList<>();
    List<InetSocketAddress> nameServers = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        value = arg.substring(eq + 1);
        arg = arg.substring(0, eq);
      }
      if (arg.equals("--help") || arg.equals("-h")) {
        return new CommandLine(config, true);
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(arg + ": missing value");
        }
        value = args[++i];
      }
      switch (arg) {
        case "--port" -> config = config.withPort(parsePort(arg, value, 0));
        case "--bind" -> config = config.withBind(value);
        case "--upstream" -> {
          int colon = value.lastIndexOf(':');
          if (colon <= 0) {
            throw new IllegalArgumentException(
                "--upstream: invalid value: " + value + " (expected: host:port)");
          }
          String host = value.substring(0, colon);
          if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
          }
          config = config.withUpstream(host, parsePort(arg, value.substring(colon + 1), 1));
        }
        case "--domain" -> domains.addAll(splitList(value));
        case "--server" -> {
          String spec = value;
          servers.add(flag(arg, () -> DomainRouteSpec.parse(spec)));
        }
        case "--name-server" -> {
          String address = value;
          Endpoint ns = flag(arg, () -> Endpoint.parse(address));
          nameServers.add(new InetSocketAddress(ns.host(), ns.port()));
        }
        case "--trusted-proxies" -> config = config.withTrustedProxies(splitList(value));
        case "--allowed-origins" -> config = config.withAllowedOrigins(splitList(value));
        default -> throw new IllegalArgumentException(arg + ": unknown option (see --help)");
      }
    }
    if (!domains.isEmpty()) {
      config = config.withDomains(domains);
    }
    if (!servers.isEmpty() || !nameServers.isEmpty()) {
      List<DomainRoute> all = new ArrayList<>(servers);
      if (!domains.isEmpty() || servers.isEmpty()) {
        all.addAll(config.upstreamPolicy().domains()); // --domain(s) via --upstream, too
      }
      UpstreamPolicy policy;
      try {
        policy = new UpstreamPolicy(all, UpstreamLimits.DEFAULTS, nameServers);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--server: " + e.getMessage(), e);
      }
      config = config.withUpstreamPolicy(policy);
    }
    return new CommandLine(config, false);
  }

  private static <T> T flag(String flag, java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
    }
  }

  private static int parsePort(String flag, String value, int min) {
    try {
      int port = Integer.parseInt(value);
      if (port >= min && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below with the expected range
    }
    throw new IllegalArgumentException(
        flag + ": invalid port: " + value + " (expected: " + min + " ~ 65535)");
  }

  private static List<String> splitList(String value) {
    List<String> items = Arrays.stream(value.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
    if (items.isEmpty()) {
      throw new IllegalArgumentException("empty list: " + value);
    }
    return items;
  }
}
