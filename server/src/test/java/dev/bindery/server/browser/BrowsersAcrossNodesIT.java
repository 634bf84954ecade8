package dev.bindery.server.browser;

import static dev.bindery.server.browser.ChatDriver.DOMAIN;
import static dev.bindery.server.browser.ChatDriver.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.server.browser.ChatDriver.Client;
import dev.bindery.server.it.FreePorts;
import dev.bindery.server.it.ProsodyServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real browsers through the shipped scale-out topology: three Bindery nodes behind HAProxy with
 * the repository's configuration, brought up by {@code deploy/haproxy/run-local.sh}, in front of
 * a real Prosody. Strophe.js and Converse.js log in and chat with each other
 *
 * <ul>
 *   <li>cross-origin: the page on another origin than the BOSH URL, the usual layout, where the
 *       browser sends no cookie with BOSH requests;
 *   <li>same-origin: HAProxy serves the page and {@code /http-bind} on one origin; Strophe.js's
 *       two users as two tabs of one browser profile, whose sessions share its cookies.
 * </ul>
 *
 * <p>Both failed with cookie affinity (a request landing on a node that does not know its
 * session gets {@code item-not-found}); with affinity by the node name in the sid, every request
 * reaches its session's node: no node sees a sid of another, and the sessions spread over the
 * nodes.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BrowsersAcrossNodesIT {

  static final Path RUN_LOCAL = Path.of("..", "deploy", "haproxy", "run-local.sh")
      .toAbsolutePath().normalize();
  static final Path JAR = Path.of("target", "bindery.jar").toAbsolutePath();
  static final Pattern BOSH_URL = Pattern.compile("^BOSH_URL=(\\S+)$");
  static final Pattern NODE = Pattern.compile("^NODE (b\\d+) pid=\\d+ http=\\d+ admin=(\\d+)");
  static final int NODES = 3;

  private static String missing;
  private static ProsodyServer prosody;
  private static Process topology;
  private static final StringBuffer output = new StringBuffer();
  private static URI bosh;
  private static final Map<String, Integer> adminPorts = new LinkedHashMap<>();
  /** Serves the pages to HAProxy for the same-origin layout (the driver's page server). */
  private static int appPort;
  /** The cross-origin layout's page origin. */
  private static int pagePort;

  @BeforeAll
  static void start() throws Exception {
    missing = ChatDriver.missing();
    if (missing == null && !ChatDriver.onPath("haproxy")
        && !Files.isExecutable(Path.of("/usr/sbin/haproxy"))) {
      missing = "HAProxy is not installed (.ci/setup installs it)";
    }
    if (missing == null && !(ChatDriver.onPath("prosody") && ChatDriver.onPath("prosodyctl"))) {
      missing = "Prosody is not installed (.ci/setup installs it)";
    }
    if (missing == null && !Files.exists(JAR)) {
      missing = "bindery.jar is built by mvn package";
    }
    if (missing != null) {
      return;
    }
    prosody = ProsodyServer.start(DOMAIN);
    for (String layout : List.of("cross", "same")) {
      for (Client client : Client.values()) {
        prosody.register(user(1, client, layout), PASSWORD);
        prosody.register(user(2, client, layout), PASSWORD);
      }
    }
    int front = FreePorts.pick();
    appPort = FreePorts.pick();
    pagePort = FreePorts.pick();
    String origins = "http://" + FreePorts.HOST + ":" + pagePort + ",http://" + FreePorts.HOST
        + ":" + front;
    topology = new ProcessBuilder("bash", RUN_LOCAL.toString(), "--nodes", Integer.toString(NODES),
        "--upstream", prosody.host() + ":" + prosody.c2sPort(), "--domain", DOMAIN,
        "--port", Integer.toString(front), "--app", FreePorts.HOST + ":" + appPort,
        "--jar", JAR.toString(), "--", "--allowed-origins", origins,
        "--drain-grace-period", "2s")
        .redirectErrorStream(true).start();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> read(ready), "run-local-output");
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(3, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new AssertionError("run-local.sh did not come up:\n" + output, e);
    }
    assertThat(adminPorts).as(output.toString()).hasSize(NODES);
  }

  /** Reads the script's output: BOSH_URL, then a NODE line per node, then the last line. */
  private static void read(CompletableFuture<Void> ready) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        topology.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        output.append(line).append('\n');
        Matcher url = BOSH_URL.matcher(line);
        Matcher node = NODE.matcher(line);
        if (url.find()) {
          bosh = URI.create(url.group(1));
        } else if (node.find()) {
          adminPorts.put(node.group(1), Integer.parseInt(node.group(2)));
        } else if (line.startsWith("Ctrl-C stops everything")) {
          ready.complete(null);
        }
      }
      ready.completeExceptionally(new IOException("run-local.sh ended"));
    } catch (IOException e) {
      ready.completeExceptionally(e);
    }
  }

  @BeforeEach
  void skipWhenSomethingIsMissing() {
    Assumptions.assumeTrue(missing == null, missing);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (missing == null && adminPorts.size() == NODES) {
        assertSessionsSpreadOverNodes();
      }
    } finally {
      stopTopology();
    }
  }

  private static void stopTopology() throws Exception {
    try {
      if (topology != null) {
        topology.destroy(); // SIGTERM: the script stops HAProxy and drains the nodes
        if (!topology.waitFor(60, TimeUnit.SECONDS)) {
          topology.destroyForcibly();
        }
      }
    } finally {
      if (prosody != null) {
        prosody.close();
      }
    }
  }

  @Test
  void stropheAndConverseChatFromAnotherOriginAcrossNodes() throws Exception {
    for (Client client : Client.values()) {
      Map<?, ?> result = ChatDriver.chat(client, "nodes-cross-" + client.id, bosh.toString(),
          user(1, client, "cross"), user(2, client, "cross"),
          "--page-port", Integer.toString(pagePort));
      assertThat(result.get("sameOrigin")).isEqualTo(false);
    }
    assertEveryRequestReachedItsSessionsNode();
  }

  @Test
  void stropheChatsAsTwoTabsOfOneBrowserOnOneOriginAcrossNodes() throws Exception {
    Map<?, ?> result = sameOrigin(Client.STROPHE, "--shared-context");

    assertThat(result.get("sharedContext")).isEqualTo(true);
    assertEveryRequestReachedItsSessionsNode();
  }

  /**
   * Converse.js on one origin, each user in a browser profile of its own: two Converse.js users
   * in tabs of one profile share the origin's IndexedDB, where Converse.js keeps its state, and
   * one tab's logout closes the database under the other (a page error of Converse.js's own,
   * whatever the transport).
   */
  @Test
  void converseChatsOnOneOriginAcrossNodes() throws Exception {
    Map<?, ?> result = sameOrigin(Client.CONVERSE);

    assertThat(result.get("sharedContext")).isEqualTo(false);
    assertEveryRequestReachedItsSessionsNode();
  }

  /** The page and /http-bind from HAProxy's one origin; the BOSH URL is a path on it. */
  private static Map<?, ?> sameOrigin(Client client, String... more) throws Exception {
    String origin = "http://" + bosh.getHost() + ":" + bosh.getPort() + "/";
    List<String> flags = new ArrayList<>(List.of("--same-origin-base", origin,
        "--page-port", Integer.toString(appPort)));
    flags.addAll(List.of(more));
    Map<?, ?> result = ChatDriver.chat(client, "nodes-same-" + client.id, bosh.getPath(),
        user(1, client, "same"), user(2, client, "same"), flags.toArray(String[]::new));
    assertThat(result.get("sameOrigin")).isEqualTo(true);
    return result;
  }

  /** No node saw a sid of another. */
  private static void assertEveryRequestReachedItsSessionsNode() throws Exception {
    for (Map.Entry<String, Integer> node : adminPorts.entrySet()) {
      assertThat(sample(metrics(node.getValue()), "bosh_foreign_sid_requests_total"))
          .as("requests misrouted to %s", node.getKey()).isZero();
    }
  }

  /**
   * After every test: the sessions spread over more than one node, so the routing above was
   * tested across nodes. Checked once for the class: two sessions of one test may land on one
   * node (leastconn between requests), six of three tests on one node would not.
   */
  private static void assertSessionsSpreadOverNodes() throws Exception {
    List<Long> started = new ArrayList<>();
    for (int adminPort : adminPorts.values()) {
      started.add(sample(metrics(adminPort), "bosh_sessions_started_total{transport=\"bosh\"}"));
    }
    assertThat(started.stream().filter(n -> n > 0).count())
        .as("nodes that served sessions: %s", started).isGreaterThan(1);
  }

  private static String metrics(int adminPort) throws Exception {
    // HTTP/1.1: the JDK client's h2c upgrade is nothing this test is about
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static long sample(String metrics, String name) {
    return metrics.lines().filter(l -> l.startsWith(name + " "))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in /metrics"));
  }

  private static String user(int n, Client client, String layout) {
    return (n == 1 ? "alice-" : "bob-") + client.id + "-" + layout;
  }
}
