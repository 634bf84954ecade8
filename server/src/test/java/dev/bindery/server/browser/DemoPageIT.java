package dev.bindery.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.server.Bindery;
import dev.bindery.server.config.ServerConfig;
import dev.bindery.server.it.ChildProcess;
import dev.bindery.server.it.ProsodyServer;
import dev.bindery.server.it.WsClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's chat page as a person uses it: Bindery serves {@code deploy/demo/web} with
 * Converse.js ({@code http.web-root}), the page finds Bindery by host-meta, the user logs in as
 * {@code admin} with Converse's own form, reads what {@code myself} (a WebSocket client here,
 * the terminal demo's user in {@code run-demo.sh}) sent, and answers. Over WebSocket, then over
 * BOSH ({@code ?transport=bosh}). Screenshots in {@code target/browser/demo/}.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DemoPageIT {

  private static final Path DEMO_WEB = Path.of("..", "deploy", "demo", "web");
  private static final Path CONVERSE_DIST = ChatDriver.BROWSER_DIR
      .resolve("node_modules/converse.js/dist");

  @TempDir
  static Path site;
  private static String missing;
  private static ProsodyServer prosody;
  private static Bindery bindery;

  @BeforeAll
  static void start() throws Exception {
    missing = ChatDriver.missing();
    if (missing == null && !ChildProcess.onPath("prosody")) {
      missing = "Prosody is not installed (.ci/setup installs it)";
    }
    if (missing != null) {
      return;
    }
    for (String file : List.of("index.html", "demo.js")) {
      Files.copy(DEMO_WEB.resolve(file), site.resolve(file));
    }
    copyTree(CONVERSE_DIST, site.resolve("converse/dist"));
    prosody = ProsodyServer.start("localhost");
    prosody.register("admin", "mypassword1");
    prosody.register("myself", "mypassword2");
    bindery = Bindery.start(ServerConfig.builder().port(0)
        .upstream(prosody.host(), prosody.c2sPort()).webRoot(site).build());
  }

  @BeforeEach
  void skipWhenSomethingIsMissing() {
    Assumptions.assumeTrue(missing == null, missing);
  }

  @AfterAll
  static void stop() throws Exception {
    try (ProsodyServer p = prosody) {
      if (bindery != null) {
        bindery.close();
      }
    }
  }

  @Test
  void adminChatsWithMyselfOverWebSocket() throws Exception {
    String outcome = chat("", "websocket");
    assertThat(outcome).contains("\"websockets\":[\"" + bindery.webSocketEndpoint() + "\"]")
        .contains("\"boshRequests\":0");
  }

  @Test
  void adminChatsWithMyselfOverBosh() throws Exception {
    String outcome = chat("?transport=bosh", "bosh");
    assertThat(outcome).contains("\"websockets\":[]").doesNotContain("\"boshRequests\":0");
  }

  /** One chat through the page; returns the driver's JSON outcome. */
  private static String chat(String query, String name) throws Exception {
    Path out = Files.createDirectories(ChatDriver.SCREENSHOTS.resolve("demo"));
    String fromMyself = "hi admin, this is myself over " + name;
    String fromAdmin = "hello myself, admin here in the browser (" + name + ")";
    try (WsClient myself = WsClient.connect(bindery.webSocketEndpoint(), "xmpp");
        ChildProcess page = ChildProcess.start("demo-page-" + name, out, List.of("node",
            ChatDriver.BROWSER_DIR.resolve("demo-page.mjs").toString(),
            "--url", bindery.endpoint().resolve("/" + query).toString(),
            "--password", "mypassword1", "--peer", "myself@localhost",
            "--expect", fromMyself, "--send", fromAdmin,
            "--out", out.resolve("demo-" + name + ".png").toString(),
            "--chromium", ChatDriver.chromium().toString()))) {
      myself.login("localhost", "myself", "mypassword2", "terminal");
      myself.send("<presence xmlns='jabber:client'/>");
      page.awaitOutput("demo-page: online", 90);
      try {
        assertThat(sendUntilAnswered(myself, fromMyself, fromAdmin))
            .contains("from=\"admin@localhost/");
      } catch (AssertionError e) {
        page.waitFor(30);
        throw new AssertionError(e.getMessage() + "; the page said:\n" + page.outputText(), e);
      }
      assertThat(page.waitFor(60)).as(page.outputText()).isZero();
      String outcome = page.outputText();
      assertThat(outcome).contains("\"ok\":true").contains("\"pageErrors\":[]");
      assertThat(out.resolve("demo-" + name + ".png")).isRegularFile();
      return outcome;
    }
  }

  /**
   * Sends {@code text} to admin until {@code answer} comes back: the page shows "online" a
   * moment before Converse sends its initial presence, and a message to the bare JID before it
   * reaches no resource.
   */
  private static String sendUntilAnswered(WsClient myself, String text, String answer)
      throws Exception {
    AssertionError last = null;
    // a loaded machine may take half a minute for the page to show the message and answer
    for (int i = 0; i < 8; i++) {
      myself.send("<message xmlns='jabber:client' type='chat' to='admin@localhost'>"
          + "<body>" + text + "</body></message>");
      try {
        return myself.nextContaining(answer, Duration.ofSeconds(12));
      } catch (AssertionError e) {
        last = e;
      }
    }
    throw last;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
