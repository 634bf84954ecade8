package dev.bindery.loadtest;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable. The chat demo's command line: where to connect, the two accounts, and pacing.
 *
 * @param url       the BOSH endpoint
 * @param domain    the XMPP domain both users belong to
 * @param user1     the first user's local part
 * @param password1 the first user's password
 * @param user2     the second user's local part
 * @param password2 the second user's password
 * @param interval  time between two rounds of messages
 * @param rounds    rounds to send before logging out; 0 runs until interrupted
 * @param wire      whether to log every BOSH body
 */
record DemoOptions(
    URI url,
    String domain,
    String user1,
    String password1,
    String user2,
    String password2,
    Duration interval,
    int rounds,
    boolean wire) {

  static final URI DEFAULT_URL = URI.create("http://127.0.0.1:5280/http-bind");
  static final String DEFAULT_DOMAIN = "localhost";
  static final String DEFAULT_USER1 = "admin";
  static final String DEFAULT_PASSWORD1 = "mypassword1";
  static final String DEFAULT_USER2 = "myself";
  static final String DEFAULT_PASSWORD2 = "mypassword2";
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

  /** The demo's command: its flags, from which its help is made; a new one per use. */
  static picocli.CommandLine command() {
    return Cli.command("java -jar bindery-loadtest.jar demo", List.of(
        "Two users log in over BOSH and send each other \"hi! Today is <date>\" every few"
            + " seconds, printing what they receive, until Ctrl-C; then both log out cleanly.",
        "Both accounts must exist on the XMPP server, e.g. with Prosody:"
            + " prosodyctl register admin localhost mypassword1"), List.of(
        Cli.Flag.of("--url", "URL", "BOSH endpoint (default: " + DEFAULT_URL + ")"),
        Cli.Flag.of("--domain", "DOMAIN", "XMPP domain of both users (default: "
            + DEFAULT_DOMAIN + ")"),
        Cli.Flag.of("--user1", "NAME", "first user (default: " + DEFAULT_USER1 + ")"),
        Cli.Flag.of("--password1", "PASS", "first user's password (default: "
            + DEFAULT_PASSWORD1 + ")"),
        Cli.Flag.of("--user2", "NAME", "second user (default: " + DEFAULT_USER2 + ")"),
        Cli.Flag.of("--password2", "PASS", "second user's password (default: "
            + DEFAULT_PASSWORD2 + ")"),
        Cli.Flag.of("--interval", "SECONDS", "time between messages (default: "
            + DEFAULT_INTERVAL.toSeconds() + ")"),
        Cli.Flag.of("--rounds", "N", "stop after N rounds instead of running until Ctrl-C"),
        Cli.Flag.toggle("--wire", "log every BOSH request and response body to stderr")));
  }

  /** {@code demo --help}. */
  static String usage() {
    return Cli.usage(command());
  }

  DemoOptions {
    Objects.requireNonNull(url, "url");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("invalid interval: " + interval + " (expected: > 0)");
    }
    if (rounds < 0) {
      throw new IllegalArgumentException("invalid rounds: " + rounds + " (expected: 0 or more)");
    }
  }

  static DemoOptions defaults() {
    return new DemoOptions(DEFAULT_URL, DEFAULT_DOMAIN, DEFAULT_USER1, DEFAULT_PASSWORD1,
        DEFAULT_USER2, DEFAULT_PASSWORD2, DEFAULT_INTERVAL, 0, false);
  }

  /**
   * Parses the arguments after {@code demo}; returns null for {@code --help}.
   *
   * @throws IllegalArgumentException with a message for the user if an argument is wrong
   */
  static DemoOptions parse(String[] args) {
    Map<String, List<String>> given = Cli.parse(command(), args);
    if (given == null) {
      return null;
    }
    URI url = given.containsKey("--url") ? parseUrl(Cli.last(given, "--url", null)) : DEFAULT_URL;
    String user1 = Cli.last(given, "--user1", DEFAULT_USER1);
    String user2 = Cli.last(given, "--user2", DEFAULT_USER2);
    if (user1.equals(user2)) {
      throw new IllegalArgumentException("--user1 and --user2 must differ: " + user1);
    }
    Duration interval = given.containsKey("--interval")
        ? Duration.ofSeconds(parseInt(Cli.last(given, "--interval", null), "--interval"))
        : DEFAULT_INTERVAL;
    int rounds = given.containsKey("--rounds")
        ? parseInt(Cli.last(given, "--rounds", null), "--rounds") : 0;
    return new DemoOptions(url, Cli.last(given, "--domain", DEFAULT_DOMAIN), user1,
        Cli.last(given, "--password1", DEFAULT_PASSWORD1), user2,
        Cli.last(given, "--password2", DEFAULT_PASSWORD2), interval, rounds,
        given.containsKey("--wire"));
  }

  private static int parseInt(String value, String flag) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "invalid " + flag + ": " + value + " (expected: a number)");
    }
  }

  private static URI parseUrl(String value) {
    try {
      URI url = new URI(value);
      if (url.getHost() == null || !("http".equals(url.getScheme())
          || "https".equals(url.getScheme()))) {
        throw new URISyntaxException(value, "expected http://host:port/path");
      }
      return url;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("invalid --url: " + value
          + " (expected e.g. " + DEFAULT_URL + ")");
    }
  }

  @Override
  public String toString() {
    return "DemoOptions[url=" + url + ", domain=" + domain + ", users=" + user1 + "," + user2
        + ", interval=" + interval + ", rounds=" + rounds + "]";
  }
}
