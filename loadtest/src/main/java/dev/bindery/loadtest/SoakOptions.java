package dev.bindery.loadtest;

import dev.bindery.client.BoshClientConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable. The soak command's line: a long chat among {@code sessions} users beside a steady
 * churn of logins and logouts, while the Bindery node under test is sampled at a fixed period.
 *
 * @param url            the BOSH endpoint
 * @param domain         the XMPP domain of every user
 * @param userPattern    user names, {@code %d} replaced by the user's number
 * @param password       every user's password ({@code %d} is replaced too)
 * @param sessions       chatting sessions, users 0 to sessions - 1, online through the run
 * @param arrivalRate    new chatting sessions per second while they log in
 * @param messageRate    messages per second each chatting user sends
 * @param churnRate      logins per second of the churning users, all through the run
 * @param churnSessions  churning users, numbered after the chatting ones: at most this many of
 *                       them online at once
 * @param churnLinger    how long a churning session stays online before it logs out
 * @param duration       how long the chat and the churn go on, once every chatter is online
 * @param sampleEvery    the sampling period
 * @param settle         after the run, how long to wait for the node to end every session and
 *                       for its threads to come back
 * @param metricsUrl     the node's Prometheus endpoint, for its live sessions
 * @param binderyPid     the node's process, for heap after GC, RSS, descriptors and threads
 * @param sourceAddresses local addresses the client sockets bind to, round robin
 * @param threads        event loop threads of each of the two runs
 * @param warmup         unmeasured logins and chat before the baseline is taken
 * @param label          a name for the run in the report
 * @param json           where the JSON result goes, or null
 * @param html           where the HTML report goes, or null
 */
record SoakOptions(
    URI url,
    String domain,
    String userPattern,
    String password,
    int sessions,
    double arrivalRate,
    double messageRate,
    double churnRate,
    int churnSessions,
    Duration churnLinger,
    Duration duration,
    Duration sampleEvery,
    Duration settle,
    URI metricsUrl,
    long binderyPid,
    List<String> sourceAddresses,
    int threads,
    Duration warmup,
    String label,
    Path json,
    Path html) {

  static final URI DEFAULT_METRICS = URI.create("http://127.0.0.1:9280/metrics");

  /** The soak command: its flags, from which its help is made; a new one per use. */
  static picocli.CommandLine command() {
    return Cli.command("java -jar bindery-loadtest.jar soak", List.of(
        "A long run against one Bindery node: a chat among --sessions users and, beside it, a"
            + " steady churn of logins and logouts, while the node's live sessions (from its"
            + " /metrics), heap after a full GC, resident memory, open descriptors and threads"
            + " are sampled every --sample-every seconds. After the run it waits for the node to"
            + " end every session and compares the last sample with the baseline taken before"
            + " the load began. The accounts must exist on the XMPP server."), List.of(
        Cli.Flag.of("--url", "URL", "BOSH endpoint (default: http://127.0.0.1:5280/http-bind)"),
        Cli.Flag.of("--domain", "DOMAIN", "XMPP domain (default: localhost)"),
        Cli.Flag.of("--users", "PATTERN", "user names, %d = 0, 1, 2, ... (default: user%d)"),
        Cli.Flag.of("--password", "PATTERN", "password, %d as above (default: password)"),
        Cli.Flag.of("--sessions", "N", "chatting sessions (default: 1000)"),
        Cli.Flag.of("--arrival-rate", "R", "chatting sessions logging in per second at the"
            + " start (default: 50)"),
        Cli.Flag.of("--message-rate", "R", "messages per second per chatting user (default:"
            + " 0.2)"),
        Cli.Flag.of("--churn-rate", "R", "logins per second of the churning users (default:"
            + " 2)"),
        Cli.Flag.of("--churn-sessions", "N", "churning users, numbered after the chatting ones"
            + " (default: 100)"),
        Cli.Flag.of("--churn-linger", "SECONDS", "time a churning session stays online"
            + " (default: 10)"),
        Cli.Flag.of("--duration", "SECONDS", "length of the soak once all chatters are online"
            + " (default: 3600)"),
        Cli.Flag.of("--sample-every", "SECONDS", "sampling period (default: 60)"),
        Cli.Flag.of("--settle", "SECONDS", "after the run, the longest wait for the node's live"
            + " sessions to reach 0 and its threads to come back (default: 180)"),
        Cli.Flag.of("--metrics-url", "URL", "the node's Prometheus endpoint (default: "
            + DEFAULT_METRICS + ")"),
        Cli.Flag.of("--bindery-pid", "PID", "the node's process id (required: its heap, RSS,"
            + " descriptors and threads are read from /proc and with jcmd)"),
        Cli.Flag.of("--source-addresses", "A", "local addresses to spread sockets over, as for"
            + " 'run' (default: none)"),
        Cli.Flag.of("--threads", "N", "event loop threads of the chat and of the churn"
            + " (default: number of cores)"),
        Cli.Flag.of("--warmup", "SECONDS", "unmeasured logins and chat before the baseline"
            + " (default: 10; 0: none)"),
        Cli.Flag.of("--label", "NAME", "a name for this run in the report"),
        Cli.Flag.of("--json", "FILE", "write the JSON result there"),
        Cli.Flag.of("--html", "FILE", "write the HTML report there")));
  }

  /** {@code soak --help}. */
  static String usage() {
    return Cli.usage(command());
  }

  SoakOptions {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(metricsUrl, "metricsUrl");
    sourceAddresses = List.copyOf(sourceAddresses);
    if (label == null || label.isBlank()) {
      label = "soak-" + sessions;
    }
  }

  /**
   * Parses the arguments after {@code soak}; returns null for {@code --help}.
   *
   * @throws IllegalArgumentException naming the bad flag
   */
  static SoakOptions parse(String... args) {
    Map<String, List<String>> given = Cli.parse(command(), args);
    if (given == null) {
      return null;
    }
    String pid = Cli.last(given, "--bindery-pid", null);
    if (pid == null) {
      throw new IllegalArgumentException("--bindery-pid: missing (the node's process id)");
    }
    // The flags 'run' shares mean what they mean there, and are checked the same way.
    LoadOptions shared = LoadOptions.parse(
        "--url", Cli.last(given, "--url", "http://127.0.0.1:5280/http-bind"),
        "--domain", Cli.last(given, "--domain", "localhost"),
        "--users", Cli.last(given, "--users", "user%d"),
        "--password", Cli.last(given, "--password", "password"),
        "--sessions", Cli.last(given, "--sessions", "1000"),
        "--arrival-rate", Cli.last(given, "--arrival-rate", "50"),
        "--message-rate", Cli.last(given, "--message-rate", "0.2"),
        "--duration", Cli.last(given, "--duration", "3600"),
        "--warmup", Cli.last(given, "--warmup", "10"),
        "--threads", Cli.last(given, "--threads",
            Integer.toString(Runtime.getRuntime().availableProcessors())),
        "--source-addresses", Cli.last(given, "--source-addresses", ""));
    double churnRate = positive("--churn-rate", Cli.last(given, "--churn-rate", "2"));
    int churnSessions = count("--churn-sessions", Cli.last(given, "--churn-sessions", "100"));
    Duration sampleEvery = seconds("--sample-every", Cli.last(given, "--sample-every", "60"));
    if (sampleEvery.isZero()) {
      throw new IllegalArgumentException("--sample-every: 0 (expected: > 0)");
    }
    URI metrics;
    try {
      metrics = URI.create(Cli.last(given, "--metrics-url", DEFAULT_METRICS.toString()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--metrics-url: invalid: " + e.getMessage());
    }
    String json = Cli.last(given, "--json", null);
    String html = Cli.last(given, "--html", null);
    return new SoakOptions(shared.url(), shared.domain(), shared.userPattern(),
        Cli.last(given, "--password", "password"), shared.sessions(), shared.arrivalRate(),
        shared.messageRate(), churnRate, churnSessions,
        seconds("--churn-linger", Cli.last(given, "--churn-linger", "10")), shared.duration(),
        sampleEvery, seconds("--settle", Cli.last(given, "--settle", "180")), metrics,
        count("--bindery-pid", pid), shared.sourceAddresses(), shared.threads(),
        shared.warmup(), Cli.last(given, "--label", null),
        json == null ? null : Path.of(json), html == null ? null : Path.of(html));
  }

  /** The chat: {@code sessions} users online through the run, messaging each other. */
  LoadOptions chat() {
    return new LoadOptions(url, domain, null, userPattern, 0, password, sessions, arrivalRate,
        messageRate, duration, LoadOptions.Scenario.CHAT, BoshClientConfig.DEFAULT_WAIT, Duration.ofSeconds(30),
        Duration.ZERO, sourceAddresses, threads, label + "-chat", null, null, Map.of(), List.of(),
        warmup, LoadOptions.Http.HTTP_1_1, 1);
  }

  /** The churn: users after the chatters, each logging in, lingering, logging out, over again. */
  LoadOptions churn() {
    return new LoadOptions(url, domain, null, userPattern, sessions, password, churnSessions,
        churnRate, 0, duration, LoadOptions.Scenario.LOGIN_STORM, BoshClientConfig.DEFAULT_WAIT,
        Duration.ZERO, churnLinger, sourceAddresses, threads, label + "-churn", null, null,
        Map.of(), List.of(), Duration.ZERO, LoadOptions.Http.HTTP_1_1, 1);
  }

  private static double positive(String flag, String value) {
    try {
      double d = Double.parseDouble(value.strip());
      if (d > 0 && Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(flag + ": " + value + " (expected: a number > 0)");
  }

  private static int count(String flag, String value) {
    try {
      int n = Integer.parseInt(value.strip());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(flag + ": " + value + " (expected: an integer > 0)");
  }

  private static Duration seconds(String flag, String value) {
    double s;
    try {
      s = Double.parseDouble(value.strip());
    } catch (NumberFormatException e) {
      s = -1;
    }
    if (!(s >= 0) || !Double.isFinite(s)) {
      throw new IllegalArgumentException(flag + ": " + value + " (expected: seconds >= 0)");
    }
    return Duration.ofMillis(Math.round(s * 1000));
  }
}
