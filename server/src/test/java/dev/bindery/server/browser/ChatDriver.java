package dev.bindery.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.server.it.ChildProcess;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Stateless. Runs {@code src/test/browser/chat.mjs}, the Playwright driver in which two users of
 * a real web XMPP client (Strophe.js or Converse.js, from npm) chat in headless Chromium, and
 * checks what it reports: both logged in, each received exactly what the other sent, both
 * logged out, nothing fetched off this host, no websocket, no uncaught page error, and a
 * screenshot of each page that shows something.
 */
final class ChatDriver {

  static final String CHROMIUM_PROPERTY = "bindery.it.chromium";
  static final String DEFAULT_CHROMIUM = "/usr/bin/chromium";

  /** The pages, the driver and their npm packages (tests run in the server module). */
  static final Path BROWSER_DIR = Path.of("src", "test", "browser").toAbsolutePath();
  static final List<String> NPM_PACKAGES = List.of("playwright-core", "strophe.js", "converse.js");

  /** Screenshots are kept here, for a person to look at. */
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

  /** The clients chat.mjs drives. */
  enum Client {
    STROPHE("strophe"),
    CONVERSE("converse");

    final String id;

    Client(String id) {
      this.id = id;
    }
  }

  private ChatDriver() {}

  /** What the driver needs and this machine lacks (besides Prosody), or null. */
  static String missing() {
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
    return null;
  }

  /**
   * Has {@code user1} and {@code user2} (local parts on {@link #DOMAIN}, password {@link
   * #PASSWORD}) chat with {@code client} through {@code endpoint} (BOSH for an http(s) URL,
   * WebSocket for a ws(s) one), screenshots in
   * {@code target/browser/NAME/}; {@code more} are more driver flags. Returns the driver's report
   * once every check passed.
   */
  static Map<?, ?> chat(Client client, String name, String endpoint, String user1, String user2,
      String... more) throws Exception {
    Path out = Files.createDirectories(SCREENSHOTS.resolve(name));
    String jid1 = user1 + "@" + DOMAIN;
    String jid2 = user2 + "@" + DOMAIN;
    List<String> command = new ArrayList<>(List.of("node",
        BROWSER_DIR.resolve("chat.mjs").toString(),
        "--client", client.id,
        webSocket(endpoint) ? "--websocket" : "--bosh", endpoint,
        "--user1", jid1 + ":" + PASSWORD,
        "--user2", jid2 + ":" + PASSWORD,
        "--out", out.toString(),
        "--chromium", chromium().toString(),
        "--timeout", Long.toString(DRIVER_TIMEOUT.toSeconds())));
    command.addAll(List.of(more));
    ChildProcess.Result run = ChildProcess.run(command, out, Map.of(), RUN_TIMEOUT);
    String output = run.output();
    Map<?, ?> result = outcome(output);

    assertThat(run.exitCode()).as(output).isZero();
    assertThat(result.get("ok")).as(output).isEqualTo(true);
    assertThat(result.get("errors")).as(output).isEqualTo(List.of());
    List<?> users = (List<?>) result.get("users");
    assertThat(users).as(output).hasSize(2);
    Map<?, ?> first = (Map<?, ?>) users.get(0);
    Map<?, ?> second = (Map<?, ?>) users.get(1);
    assertThat(first.get("jid")).isEqualTo(jid1);
    assertThat(second.get("jid")).isEqualTo(jid2);
    checkUser(first, second, endpoint, output);
    checkUser(second, first, endpoint, output);
    return result;
  }

  /** One user's part: logged in, got what the peer sent, logged out, and left a screenshot. */
  private static void checkUser(Map<?, ?> user, Map<?, ?> peer, String endpoint, String output)
      throws IOException {
    assertThat(user.get("loggedIn")).as(output).isEqualTo(true);
    assertThat(peer.get("sent")).as(output).isInstanceOf(String.class);
    List<Object> received = List.copyOf((List<?>) user.get("received"));
    assertThat(received).as(output)
        .contains(Map.of("from", peer.get("jid"), "body", peer.get("sent")));
    assertThat(user.get("loggedOut")).as(output).isEqualTo(true);
    if (webSocket(endpoint)) {
      List<Object> sockets = List.copyOf((List<?>) user.get("websockets"));
      assertThat(sockets).as("websockets opened").contains(endpoint);
      assertThat((Integer) user.get("boshRequests")).as("BOSH requests").isZero();
    } else {
      assertThat((Integer) user.get("boshRequests")).as("requests to Bindery").isPositive();
      assertThat((List<?>) user.get("websockets")).as("websockets opened").isEmpty();
    }
    assertThat((List<?>) user.get("externalRequests")).as("requests off this host").isEmpty();
    assertThat((List<?>) user.get("pageErrors")).as("uncaught errors in the page").isEmpty();
    checkScreenshot(Path.of((String) user.get("screenshot")));
  }

  private static boolean webSocket(String endpoint) {
    return endpoint.startsWith("ws:") || endpoint.startsWith("wss:");
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

  static Path chromium() {
    return Path.of(System.getProperty(CHROMIUM_PROPERTY, DEFAULT_CHROMIUM));
  }

  static boolean onPath(String command) {
    return ChildProcess.onPath(command);
  }
}
