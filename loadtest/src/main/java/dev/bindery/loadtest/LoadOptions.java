package dev.bindery.loadtest;

import dev.bindery.client.BoshClientConfig;
import dev.bindery.client.H2cBoshTransport;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable. The load generator's command line.
 *
 * @param url            the BOSH endpoint
 * @param domain         the XMPP domain of every user
 * @param route          the {@code route} attribute of session creation, or null
 * @param userPattern    user names, {@code %d} replaced by 0, 1, 2, ... (e.g. {@code user%d})
 * @param firstUser      the number of the first user
 * @param password       every user's password ({@code %d} is replaced too)
 * @param sessions       concurrent sessions (for login-storm: at most this many at once)
 * @param arrivalRate    new sessions per second
 * @param messageRate    messages per second each online user sends (chat)
 * @param duration       how long the steady phase lasts once every session is online
 * @param scenario       what each user does
 * @param waitSeconds    the BOSH {@code wait} asked for
 * @param drain          how long to wait after the last message for deliveries
 * @param linger         login-storm: how long a session stays online before logging out
 * @param sourceAddresses local addresses the client sockets bind to, round robin
 * @param threads        event loop threads
 * @param label          a name for the run in the report
 * @param json           where the JSON result goes, or null
 * @param html           where the HTML report goes, or null
 * @param monitors       processes to sample from /proc: name to pid
 * @param jvmMonitors    names (in {@code monitors}) of JVMs whose heap is measured with jcmd
 * @param warmup         how long unmeasured logins, then a small chat, run first, to warm up
 *                       both sides
 * @param http           the HTTP version on the wire
 * @param h2Connections  HTTP/2: connections the sessions share (each opens a sibling when the
 *                       server's SETTINGS_MAX_CONCURRENT_STREAMS is reached)
 */
record LoadOptions(
    URI url,
    String domain,
    String route,
    String userPattern,
    int firstUser,
    String password,
    int sessions,
    double arrivalRate,
    double messageRate,
    Duration duration,
    Scenario scenario,
    int waitSeconds,
    Duration drain,
    Duration linger,
    List<String> sourceAddresses,
    int threads,
    String label,
    Path json,
    Path html,
    Map<String, Long> monitors,
    List<String> jvmMonitors,
    Duration warmup,
    Http http,
    int h2Connections) {

  /** The HTTP version the sessions speak. */
  enum Http {
    /** HTTP/1.1 with keep-alive: each session has its own connections, like a browser tab. */
    HTTP_1_1("1.1"),
    /**
     * HTTP/2 cleartext with prior knowledge (h2c, RFC 9113 §3.3): all sessions share a few
     * connections, one stream per request.
     */
    HTTP_2("2");

    private final String flag;

    Http(String flag) {
      this.flag = flag;
    }

    static Http parse(String value) {
      for (Http h : values()) {
        if (h.flag.equals(value.strip())) {
          return h;
        }
      }
      throw new IllegalArgumentException("--http: unknown: " + value + " (expected: 1.1 or 2)");
    }

    /** {@code 1.1} or {@code 2}, as on the command line and in the report. */
    String flag() {
      return flag;
    }
  }

  /** What each simulated user does. */
  enum Scenario {
    /** Log in, then message random online users at {@code messageRate}. */
    CHAT,
    /** Log in, then only long-poll. */
    IDLE,
    /** Connect, log in, log out, over and over, at {@code arrivalRate}. */
    LOGIN_STORM;

    static Scenario parse(String value) {
      for (Scenario s : values()) {
        if (s.flag().equals(value)) {
          return s;
        }
      }
      throw new IllegalArgumentException(
          "--scenario: unknown: " + value + " (expected: chat, idle or login-storm)");
    }

    String flag() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** The load generator's command: its flags, from which its help is made; a new one per use. */
  static picocli.CommandLine command() {
    return Cli.command("java -jar bindery-loadtest.jar run", List.of(
        "Drives many XMPP users over any XEP-0124/XEP-0206 BOSH endpoint. Each user is a real"
            + " BOSH client: session creation, SASL PLAIN, restart, bind, presence, hold=1"
            + " long-polling (two requests in flight) and a clean terminate. The accounts must"
            + " exist on the XMPP server."), List.of(
        Cli.Flag.of("--url", "URL", "BOSH endpoint (default: http://127.0.0.1:5280/http-bind)"),
        Cli.Flag.of("--domain", "DOMAIN", "XMPP domain (default: localhost)"),
        Cli.Flag.of("--route", "xmpp:HOST:PORT", "route attribute of session creation (default:"
            + " none)"),
        Cli.Flag.of("--users", "PATTERN", "user names, %d = 0, 1, 2, ... (default: user%d)"),
        Cli.Flag.of("--first-user", "N", "number of the first user (default: 0)"),
        Cli.Flag.of("--password", "PATTERN", "password, %d as above (default: password)"),
        Cli.Flag.of("--sessions", "N", "concurrent sessions (default: 100)"),
        Cli.Flag.of("--arrival-rate", "R", "new sessions per second (default: 100)"),
        Cli.Flag.of("--message-rate", "R", "messages per second per user, chat only (default:"
            + " 0.2)"),
        Cli.Flag.of("--duration", "SECONDS", "steady phase once all are online (default: 60)"),
        Cli.Flag.of("--scenario", "S", "chat, idle or login-storm (default: chat)"),
        Cli.Flag.of("--wait", "SECONDS", "BOSH wait (default: " + BoshClientConfig.DEFAULT_WAIT
            + ")"),
        Cli.Flag.of("--drain", "SECONDS", "wait for late deliveries after the last message"
            + " (default: 10)"),
        Cli.Flag.of("--linger", "SECONDS", "login-storm: time online before logging out (default:"
            + " 0)"),
        Cli.Flag.of("--warmup", "SECONDS", "unmeasured logins (a third of the time), then a chat"
            + " among 100 users, to warm up the JIT of both sides (default: 10; 0: none)"),
        Cli.Flag.of("--source-addresses", "A", "local addresses to spread sockets over: a list"
            + " (127.0.0.2,127.0.0.3) or a range (127.0.0.2-127.0.0.9); default: none"),
        Cli.Flag.of("--threads", "N", "event loop threads (default: number of cores)"),
        Cli.Flag.of("--http", "VERSION", "1.1: each session has its own keep-alive connections,"
            + " like a browser tab; 2: HTTP/2 cleartext with prior knowledge (h2c), all sessions"
            + " share --h2-connections connections, one stream per request (default: 1.1)"),
        Cli.Flag.of("--h2-connections", "N", "with --http 2: connections the sessions share,"
            + " round robin at session creation; one whose server stream limit"
            + " (SETTINGS_MAX_CONCURRENT_STREAMS) is reached opens another beside it (default: "
            + H2cBoshTransport.DEFAULT_CONNECTIONS + ")"),
        Cli.Flag.of("--label", "NAME", "a name for this run in the report"),
        Cli.Flag.of("--json", "FILE", "write the JSON result there"),
        Cli.Flag.of("--html", "FILE", "write the HTML report there"),
        Cli.Flag.repeatable("--monitor", "NAME=PID", "sample that process's CPU time and memory"
            + " (repeatable); PID 'self' is this load generator"),
        Cli.Flag.repeatable("--monitor-jvm", "NAME=PID", "as --monitor, and measure its heap with"
            + " jcmd (repeatable)")));
  }

  /** {@code run --help}. */
  static String usage() {
    return Cli.usage(command());
  }

  LoadOptions {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(scenario, "scenario");
    requirePositive(sessions, "--sessions");
    if (!(arrivalRate > 0)) {
      throw new IllegalArgumentException("--arrival-rate: " + arrivalRate + " (expected: > 0)");
    }
    if (!(messageRate >= 0)) {
      throw new IllegalArgumentException("--message-rate: " + messageRate + " (expected: >= 0)");
    }
    if (duration.isNegative()) {
      throw new IllegalArgumentException("--duration: negative");
    }
    requirePositive(threads, "--threads");
    Objects.requireNonNull(http, "http");
    requirePositive(h2Connections, "--h2-connections");
    if (waitSeconds < 1 || waitSeconds > BoshClientConfig.MAX_WAIT) {
      throw new IllegalArgumentException("--wait: " + waitSeconds + " (expected: 1 ~ "
          + BoshClientConfig.MAX_WAIT + ")");
    }
    sourceAddresses = List.copyOf(sourceAddresses);
    monitors = Map.copyOf(monitors);
    jvmMonitors = List.copyOf(jvmMonitors);
    if (label == null || label.isBlank()) {
      label = scenario.flag() + "-" + sessions;
    }
  }

  /** The user name of user number {@code i}. */
  String user(int i) {
    return userPattern.replace("%d", Integer.toString(firstUser + i));
  }

  String password(int i) {
    return password.replace("%d", Integer.toString(firstUser + i));
  }

  /**
   * Parses the arguments after {@code run}; returns null for {@code --help}.
   *
   * @throws IllegalArgumentException naming the bad flag
   */
  static LoadOptions parse(String... args) {
    URI url = URI.create("http://127.0.0.1:5280/http-bind");
    String domain = "localhost";
    String route = null;
    String users = "user%d";
    int firstUser = 0;
    String password = "password";
    int sessions = 100;
    double arrivalRate = 100;
    double messageRate = 0.2;
    Duration duration = Duration.ofSeconds(60);
    Scenario scenario = Scenario.CHAT;
    int wait = BoshClientConfig.DEFAULT_WAIT;
    Duration drain = Duration.ofSeconds(10);
    Duration linger = Duration.ZERO;
    Duration warmup = Duration.ofSeconds(10);
    List<String> sources = List.of();
    int threads = Runtime.getRuntime().availableProcessors();
    String label = null;
    Path json = null;
    Path html = null;
    Map<String, Long> monitors = new LinkedHashMap<>();
    List<String> jvms = new ArrayList<>();
    Http http = Http.HTTP_1_1;
    Integer h2Connections = null;
    Map<String, List<String>> given = Cli.parse(command(), args);
    if (given == null) {
      return null;
    }
    for (Map.Entry<String, List<String>> e : given.entrySet()) {
      String flag = e.getKey();
      String value = e.getValue().get(e.getValue().size() - 1);
      switch (flag) {
        case "--url" -> url = parseUrl(value);
        case "--domain" -> domain = value;
        case "--route" -> route = value;
        case "--users" -> users = requirePattern(value, flag);
        case "--first-user" -> firstUser = parseInt(flag, value, 0);
        case "--password" -> password = value;
        case "--sessions" -> sessions = parseInt(flag, value, 1);
        case "--arrival-rate" -> arrivalRate = parseDouble(flag, value);
        case "--message-rate" -> messageRate = parseDouble(flag, value);
        case "--duration" -> duration = seconds(flag, value);
        case "--scenario" -> scenario = Scenario.parse(value);
        case "--wait" -> wait = parseInt(flag, value, 1);
        case "--drain" -> drain = seconds(flag, value);
        case "--linger" -> linger = seconds(flag, value);
        case "--warmup" -> warmup = seconds(flag, value);
        case "--source-addresses" -> sources = parseAddresses(value);
        case "--threads" -> threads = parseInt(flag, value, 1);
        case "--label" -> label = value;
        case "--json" -> json = Path.of(value);
        case "--html" -> html = Path.of(value);
        case "--monitor" -> e.getValue().forEach(v -> putMonitor(monitors, flag, v));
        case "--monitor-jvm" -> e.getValue().forEach(v -> jvms.add(putMonitor(monitors, flag, v)));
        case "--http" -> http = Http.parse(value);
        case "--h2-connections" -> h2Connections = parseInt(flag, value, 1);
        default -> throw new IllegalStateException("a declared flag without a meaning: " + flag);
      }
    }
    if (h2Connections != null && http != Http.HTTP_2) {
      throw new IllegalArgumentException("--h2-connections: only with --http 2");
    }
    return new LoadOptions(url, domain, route, users, firstUser, password, sessions,
        arrivalRate, messageRate, duration, scenario, wait, drain, linger, sources, threads,
        label, json, html, monitors, jvms, warmup, http,
        h2Connections == null ? H2cBoshTransport.DEFAULT_CONNECTIONS : h2Connections);
  }

  /**
   * {@code 127.0.0.2,127.0.0.3} or {@code 127.0.0.2-127.0.0.9} (a range in the last octet).
   */
  static List<String> parseAddresses(String value) {
    List<String> out = new ArrayList<>();
    for (String part : value.split(",")) {
      part = part.strip();
      if (part.isEmpty()) {
        continue;
      }
      int dash = part.indexOf('-');
      if (dash < 0) {
        out.add(part);
        continue;
      }
      String from = part.substring(0, dash);
      String to = part.substring(dash + 1);
      int dot = from.lastIndexOf('.');
      if (dot < 0 || !to.startsWith(from.substring(0, dot + 1))) {
        throw new IllegalArgumentException("--source-addresses: invalid range: " + part
            + " (expected: e.g. 127.0.0.2-127.0.0.9)");
      }
      int first = parseInt("--source-addresses", from.substring(dot + 1), 0);
      int last = parseInt("--source-addresses", to.substring(dot + 1), first);
      if (last > 255) {
        throw new IllegalArgumentException("--source-addresses: invalid range: " + part);
      }
      for (int n = first; n <= last; n++) {
        out.add(from.substring(0, dot + 1) + n);
      }
    }
    return out;
  }

  private static String putMonitor(Map<String, Long> monitors, String flag, String value) {
    int eq = value.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException(flag + ": " + value + " (expected: NAME=PID)");
    }
    String name = value.substring(0, eq);
    String pid = value.substring(eq + 1);
    monitors.put(name, pid.equals("self")
        ? ProcessHandle.current().pid() : (long) parseInt(flag, pid, 1));
    return name;
  }

  private static URI parseUrl(String value) {
    URI uri;
    try {
      uri = URI.create(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--url: invalid: " + value);
    }
    if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("--url: " + value + " (expected: http://host:port/path)");
    }
    return uri;
  }

  private static String requirePattern(String value, String flag) {
    if (!value.contains("%d")) {
      throw new IllegalArgumentException(flag + ": " + value + " (expected: a pattern with %d)");
    }
    return value;
  }

  private static Duration seconds(String flag, String value) {
    double s = parseDouble(flag, value);
    if (s < 0) {
      throw new IllegalArgumentException(flag + ": " + value + " (expected: >= 0)");
    }
    return Duration.ofMillis(Math.round(s * 1000));
  }

  private static int parseInt(String flag, String value, int min) {
    try {
      int n = Integer.parseInt(value.strip());
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(flag + ": " + value + " (expected: an integer >= " + min
        + ")");
  }

  private static double parseDouble(String flag, String value) {
    try {
      double d = Double.parseDouble(value.strip());
      if (Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(flag + ": " + value + " (expected: a number)");
  }

  private static void requirePositive(int value, String flag) {
    if (value < 1) {
      throw new IllegalArgumentException(flag + ": " + value + " (expected: 1 or more)");
    }
  }
}
