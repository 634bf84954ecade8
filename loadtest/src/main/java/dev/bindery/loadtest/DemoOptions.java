package dev.bindery.loadtest;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
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

  static final String USAGE = """
      usage: java -jar bindery-loadtest.jar demo [options]

      Two users log in over BOSH and send each other "hi! Today is <date>" every few
      seconds, printing what they receive, until Ctrl-C; then both log out cleanly.
      Both accounts must exist on the XMPP server, e.g. with Prosody:
        prosodyctl register admin localhost mypassword1

      options:
        --url URL          BOSH endpoint (default: %s)
        --domain DOMAIN    XMPP domain of both users (default: %s)
        --user1 NAME       first user (default: %s)
        --password1 PASS   first user's password (default: %s)
        --user2 NAME       second user (default: %s)
        --password2 PASS   second user's password (default: %s)
        --interval SECONDS time between messages (default: %d)
        --rounds N         stop after N rounds instead of running until Ctrl-C
        --wire             log every BOSH request and response body to stderr
        --help             this text
      """.formatted(DEFAULT_URL, DEFAULT_DOMAIN, DEFAULT_USER1, DEFAULT_PASSWORD1, DEFAULT_USER2,
      DEFAULT_PASSWORD2, DEFAULT_INTERVAL.toSeconds());

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
    URI url = DEFAULT_URL;
    String domain = DEFAULT_DOMAIN;
    String user1 = DEFAULT_USER1;
    String password1 = DEFAULT_PASSWORD1;
    String user2 = DEFAULT_USER2;
    String password2 = DEFAULT_PASSWORD2;
    Duration interval = DEFAULT_INTERVAL;
    int rounds = 0;
    boolean wire = false;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      switch (flag) {
        case "--help", "-h" -> {
          return null;
        }
        case "--wire" -> wire = true;
        case "--url" -> url = parseUrl(value(args, ++i, flag));
        case "--domain" -> domain = value(args, ++i, flag);
        case "--user1" -> user1 = value(args, ++i, flag);
        case "--password1" -> password1 = value(args, ++i, flag);
        case "--user2" -> user2 = value(args, ++i, flag);
        case "--password2" -> password2 = value(args, ++i, flag);
        case "--interval" -> interval = Duration.ofSeconds(parseInt(value(args, ++i, flag), flag));
        case "--rounds" -> rounds = parseInt(value(args, ++i, flag), flag);
        default -> throw new IllegalArgumentException("unknown option: " + flag);
      }
    }
    if (user1.equals(user2)) {
      throw new IllegalArgumentException("--user1 and --user2 must differ: " + user1);
    }
    return new DemoOptions(url, domain, user1, password1, user2, password2, interval, rounds,
        wire);
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length || args[i].isBlank()) {
      throw new IllegalArgumentException("missing value for " + flag);
    }
    return args[i];
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
