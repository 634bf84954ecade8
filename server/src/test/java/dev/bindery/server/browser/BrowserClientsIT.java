package dev.bindery.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.server.Bindery;
import dev.bindery.server.config.ServerConfig;
import dev.bindery.server.it.ChildProcess;
import dev.bindery.server.it.FreePorts;
import dev.bindery.server.it.ProsodyServer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Real web XMPP clients chat through Bindery: Strophe.js and Converse.js, as published on npm,
 * in headless Chromium driven by Playwright ({@code src/test/browser/chat.mjs}), with a real
 * Prosody behind Bindery. For each client two users log in, each sends the other a message, and
 * both messages must arrive and be shown by the client.
 *
 * <p>The pages come from another origin than Bindery's {@code /http-bind} (another port on
 * 127.0.0.1), and Bindery allows that origin only ({@code http.allowed-origins}), so every login
 * also goes through the CORS preflight and response headers a browser demands.
 *
 * <p>The screenshots are kept for a person to look at, in {@code target/browser/CLIENT/}. Skipped
 * when Chromium ({@value #DEFAULT_CHROMIUM}, or {@code -D}{@value #CHROMIUM_PROPERTY}), Node.js,
 * the npm packages or Prosody are missing: {@code .ci/setup} installs them all.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BrowserClientsIT {

  private static final Logger LOG = LoggerFactory.getLogger(BrowserClientsIT.class);

  static final String CHROMIUM_PROPERTY = "bindery.it.chromium";
  static final String DEFAULT_CHROMIUM = "/usr/bin/chromium";

  /** The pages, the driver and their npm packages (tests run in the server module). */
  static final Path BROWSER_DIR = Path.of("src", "test", "browser").toAbsolutePath();
  static final List<String> NPM_PACKAGES = List.of("playwright-core", "strophe.js", "converse.js");

  static final Path SCREENSHOTS = Path.of("target", "browser").toAbsolutePath();

  static final String DOMAIN = "localhost";
  static final String PASSWORD = "browser-secret";

  /** The driver's own limit for a whole run; ours is longer, for a driver that overruns it. */
  static final Duration DRIVER_TIMEOUT = Duration.ofSeconds(150);
  static final Duration RUN_TIMEOUT = DRIVER_TIMEOUT.plusSeconds(30);

  /** The driver's viewport, so the size every screenshot must have. */
  static final int SCREENSHOT_WIDTH = 1100;
  static final int SCREENSHOT_HEIGHT = 720;

  /** Fewer colours than this is a blank or almost blank page, not a rendered chat. */
  static final int MIN_SCREENSHOT_COLOURS = 16;

  private static String missing;
  private static ProsodyServer prosody;
  private static Bindery bindery;
  private static int pagePort;
  private static String pageOrigin;

  @BeforeAll
  static void start() throws Exception {
    missing = missing();
    if (missing != null) {
      return; // each test is skipped, saying why
    }
    prosody = ProsodyServer.start(DOMAIN);
    for (Client client : Client.values()) {
      prosody.register(client.user1(), PASSWORD);
      prosody.register(client.user2(), PASSWORD);
    }
    pagePort = FreePorts.pick();
    pageOrigin = "http://" + FreePorts.HOST + ":" + pagePort;
    bindery = Bindery.start(ServerConfig.defaults().withPort(0)
        .withUpstream(prosody.host(), prosody.c2sPort())
        .withDomains(List.of(DOMAIN))
        .withAllowedOrigins(List.of(pageOrigin)));
  }

  /** What this test needs and this machine lacks, or null. */
  private static String missing() {
    if (!Files.isExecutable(chromium())) {
      return chromium() + " is not installed (Debian package chromium; .ci/setup installs it)";
    }
    if (!onPath("node")) {
      return "Node.js is not installed (.ci/setup installs it)";
    }
    for (String npmPackage : NPM_PACKAGES) {
      if (!Files.isDirectory(BROWSER_DIR.resolve("node_modules").resolve(npmPackage))) {
        return "npm package " + npmPackage + " is not installed in " + BROWSER_DIR
            + " (.ci/setup runs npm ci there)";
      }
    }
    if (!onPath("prosody") || !onPath("prosodyctl")) {
      return "Prosody is not installed (.ci/setup installs it)";
    }
    return null;
  }

  @BeforeEach
  void skipWhenSomethingIsMissing() {
    Assumptions.assumeTrue(missing == null, missing);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (bindery != null) {
        bindery.close();
      }
    } finally {
      if (prosody != null) {
        prosody.close();
      }
    }
  }

  @Test
  void stropheUsersLogInFromAnotherOriginAndChatBothWays() throws Exception {
    chatAndCheck(Client.STROPHE);
  }

  @Test
  void converseUsersLogInFromAnotherOriginAndChatBothWays() throws Exception {
    chatAndCheck(Client.CONVERSE);
  }

  /** The clients chat.mjs drives, each with two accounts of its own. */
  enum Client {
    STROPHE("strophe"),
    CONVERSE("converse");

    final String id;

    Client(String id) {
      this.id = id;
    }

    String user1() {
      return "alice-" + id;
    }

    String user2() {
      return "bob-" + id;
    }
  }

  private void chatAndCheck(Client client) throws Exception {
    Path out = Files.createDirectories(SCREENSHOTS.resolve(client.id));
    String user1 = client.user1() + "@" + DOMAIN;
    String user2 = client.user2() + "@" + DOMAIN;
    ChildProcess.Result run = ChildProcess.run(List.of("node",
        BROWSER_DIR.resolve("chat.mjs").toString(),
        "--client", client.id,
        "--bosh", bindery.endpoint().toString(),
        "--user1", user1 + ":" + PASSWORD,
        "--user2", user2 + ":" + PASSWORD,
        "--out", out.toString(),
        "--page-port", Integer.toString(pagePort),
        "--chromium", chromium().toString(),
        "--timeout", Long.toString(DRIVER_TIMEOUT.toSeconds())),
        out, Map.of(), RUN_TIMEOUT);
    String output = run.output();
    Map<?, ?> result = outcome(output);

    assertThat(run.exitCode()).as(output).isZero();
    assertThat(result.get("ok")).as(output).isEqualTo(true);
    assertThat(result.get("errors")).as(output).isEqualTo(List.of());
    assertThat(result.get("pageOrigin")).isEqualTo(pageOrigin);
    assertThat(result.get("sameOrigin")).isEqualTo(false);
    List<?> users = (List<?>) result.get("users");
    assertThat(users).as(output).hasSize(2);
    Map<?, ?> first = (Map<?, ?>) users.get(0);
    Map<?, ?> second = (Map<?, ?>) users.get(1);
    assertThat(first.get("jid")).isEqualTo(user1);
    assertThat(second.get("jid")).isEqualTo(user2);
    checkUser(first, second, output);
    checkUser(second, first, output);
    LOG.info("{} chatted through Bindery: versions {}, milliseconds {}, screenshots in {}",
        client.id, result.get("versions"), result.get("timingMs"), out);
  }

  /** One user's part: logged in, got what the peer sent, logged out, and left a screenshot. */
  private static void checkUser(Map<?, ?> user, Map<?, ?> peer, String output)
      throws IOException {
    assertThat(user.get("loggedIn")).as(output).isEqualTo(true);
    assertThat(peer.get("sent")).as(output).isInstanceOf(String.class);
    List<Object> received = List.copyOf((List<?>) user.get("received"));
    assertThat(received).as(output)
        .contains(Map.of("from", peer.get("jid"), "body", peer.get("sent")));
    assertThat(user.get("loggedOut")).as(output).isEqualTo(true);
    assertThat((Integer) user.get("boshRequests")).as("requests to Bindery").isPositive();
    assertThat((List<?>) user.get("externalRequests")).as("requests off this host").isEmpty();
    assertThat((List<?>) user.get("websockets")).as("websockets opened").isEmpty();
    assertThat((List<?>) user.get("pageErrors")).as("uncaught errors in the page").isEmpty();
    checkScreenshot(Path.of((String) user.get("screenshot")));
  }

  private static void checkScreenshot(Path png) throws IOException {
    assertThat(png).isRegularFile();
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).as("%s is a PNG", png).isNotNull();
    assertThat(image.getWidth()).isEqualTo(SCREENSHOT_WIDTH);
    assertThat(image.getHeight()).isEqualTo(SCREENSHOT_HEIGHT);
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        colours.add(image.getRGB(x, y));
      }
    }
    assertThat(colours.size()).as("colours in %s", png)
        .isGreaterThanOrEqualTo(MIN_SCREENSHOT_COLOURS);
  }

  /** The driver's JSON line: the last line of its output that starts with '{'. */
  private static Map<?, ?> outcome(String output) {
    List<String> lines = output.lines().filter(line -> line.startsWith("{")).toList();
    assertThat(lines).as("the driver printed no JSON line:\n%s", output).isNotEmpty();
    // YAML 1.2 reads JSON; snakeyaml-engine is already here for the configuration file
    Object parsed = new Load(LoadSettings.builder().build())
        .loadFromString(lines.get(lines.size() - 1));
    assertThat(parsed).as(output).isInstanceOf(Map.class);
    return (Map<?, ?>) parsed;
  }

  private static Path chromium() {
    return Path.of(System.getProperty(CHROMIUM_PROPERTY, DEFAULT_CHROMIUM));
  }

  private static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
