package dev.bindery.server;

import dev.bindery.server.config.ConfigKey;
import dev.bindery.server.config.ConfigLoader;
import dev.bindery.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * Immutable result of reading the command line: a config file and flag values, which override
 * the file and the environment (see {@link ConfigLoader}). Unknown flags fail with a message that
 * names the flag; invalid values fail in {@link #config} naming the key.
 */
final class CommandLine {

  static final String USAGE = """
      Usage: java -jar bindery.jar [options]

      Bindery: an XMPP BOSH connection manager (XEP-0124, XEP-0206).
      Serves BOSH at http://BIND:PORT/http-bind and relays each session over its own TCP stream
      to an XMPP server; metrics and health on http://ADMIN-BIND:ADMIN-PORT/.

      Options (each overrides the config file and the BINDERY_* environment):
        --config FILE           YAML config file (or env BINDERY_CONFIG); docs/configuration.md
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
                                route=HOST:PORT (repeatable); repeatable
        --name-server HOST:PORT DNS server for SRV and address lookups (default: the system's);
                                repeatable
        --trusted-proxies CIDR,...
                                reverse proxies whose X-Forwarded-For/Forwarded name the client
        --allowed-origins O,... CORS origins allowed (default *: any)
        --tls-certificate FILE  PEM certificate (then chain) for an HTTPS listener too
        --tls-key FILE          PEM private key (PKCS #8) of --tls-certificate
        --tls-port PORT         HTTPS port (default 5281; 0 picks a free port)
        --admin-port PORT       metrics and health port (default 9280; 0 picks a free port)
        --admin-bind ADDRESS    metrics and health address (default 127.0.0.1)
        --node-name NAME        this node's name, the prefix of its sids, by which a load
                                balancer routes each request to its session's node
        --drain-grace-period D  after SIGTERM, how long sessions keep working (default 30s)
        --see-other-uri URI     while draining, send new sessions there (default: none)
        --log-level LEVEL       TRACE, DEBUG, INFO, WARN or ERROR (default INFO)
        --log-format FORMAT     text or json (default text)
        --set KEY=VALUE         any config key, e.g. --set limits.max-sessions=5000
        --help                  show this help and exit

      SIGTERM drains and stops. SIGHUP (or POST /reload on the admin listener) reloads the
      served domains and upstream settings from the same file, environment and flags.
      """;

  final Path configFile;
  final Map<ConfigKey, String> flags;
  final boolean help;

  private CommandLine(Path configFile, Map<ConfigKey, String> flags, boolean help) {
    this.configFile = configFile;
    this.flags = flags;
    this.help = help;
  }

  /** Reads {@code args}; throws {@link IllegalArgumentException} naming the bad flag. */
  static CommandLine parse(String... args) {
    Path configFile = null;
    Map<ConfigKey, String> flags = new EnumMap<>(ConfigKey.class);
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        value = arg.substring(eq + 1);
        arg = arg.substring(0, eq);
      }
      if (arg.equals("--help") || arg.equals("-h")) {
        return new CommandLine(null, Map.of(), true);
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(arg + ": missing value");
        }
        value = args[++i];
      }
      if (arg.equals("--config")) {
        configFile = Path.of(value);
      } else if (arg.equals("--set")) {
        int at = value.indexOf('=');
        String path = at < 0 ? value : value.substring(0, at);
        ConfigKey key = ConfigKey.ofPath(path).orElseThrow(() -> new IllegalArgumentException(
            "--set: unknown key: " + path + " (see docs/configuration.md)"));
        if (at < 0) {
          throw new IllegalArgumentException("--set: missing value (expected: " + path + "=VALUE)");
        }
        flags.put(key, value.substring(at + 1));
      } else {
        String flag = arg;
        ConfigKey key = ConfigKey.ofFlag(arg).orElseThrow(
            () -> new IllegalArgumentException(flag + ": unknown option (see --help)"));
        String v = value;
        // --domain, --server and --name-server are repeatable: the values add up
        flags.merge(key, value, (a, b) -> switch (key) {
          case DOMAINS, UPSTREAM_NAME_SERVERS -> a + "," + b;
          case SERVERS -> a + ";" + b;
          default -> v;
        });
      }
    }
    return new CommandLine(configFile, flags, false);
  }

  /** The configuration: defaults, then the file, the environment, and these flags. */
  ServerConfig config(Map<String, String> env) {
    Path file = configFile;
    if (file == null && env.get(ConfigLoader.CONFIG_ENV) != null
        && !env.get(ConfigLoader.CONFIG_ENV).isBlank()) {
      file = Path.of(env.get(ConfigLoader.CONFIG_ENV));
    }
    if (file != null && !Files.isRegularFile(file)) {
      throw new IllegalArgumentException("config file not found: " + file);
    }
    return ConfigLoader.load(file, env, flags);
  }
}
