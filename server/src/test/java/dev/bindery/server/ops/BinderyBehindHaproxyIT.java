package dev.bindery.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.server.it.ProsodyServer;
import dev.bindery.server.it.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped HAProxy config (deploy/haproxy/) run by the real HAProxy in front of two Bindery
 * nodes (each its own JVM, named b1 and b2 like the config's server lines) and a real Prosody;
 * only addresses, ports and paths are changed. Affinity is by the node name in the sid.
 */
class BinderyBehindHaproxyIT {

  static final int GRACE_SECONDS = 10;

  static ProsodyServer prosody;
  HaproxyCluster cluster;
  BinderyProcess node1;
  BinderyProcess node2;
  URI endpoint;
  final List<BoshChat> chats = new ArrayList<>();

  @BeforeAll
  static void startProsody() throws Exception {
    Assumptions.assumeTrue(HaproxyCluster.haproxyInstalled(), "HAProxy is not installed");
    Assumptions.assumeTrue(Prosody.installed(), "Prosody is not installed");
    prosody = Prosody.start();
  }

  @AfterAll
  static void stopProsody() throws Exception {
    if (prosody != null) {
      prosody.close();
    }
  }

  @BeforeEach
  void start() throws Exception {
    cluster = HaproxyCluster.start(2, List.of("--upstream", "127.0.0.1:" + prosody.c2sPort(),
        "--drain-grace-period", GRACE_SECONDS + "s", "--trusted-proxies", "127.0.0.1"),
        this::variant);
    node1 = cluster.node("b1");
    node2 = cluster.node("b2");
    endpoint = cluster.endpoint();
  }

  /** The shipped file as this class runs it: as it is. */
  DeployFile variant(DeployFile shipped) {
    return shipped;
  }

  @AfterEach
  void stop() throws Exception {
    chats.forEach(BoshChat::close);
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void sessionsStickToTheNodeThatCreatedThem() throws Exception {
    BoshChat admin = chat();
    BoshChat myself = chat();
    admin.login("admin", "mypassword1");
    myself.login("myself", "mypassword2");
    List<BoshChat> more = List.of(chat(), chat());
    for (BoshChat c : more) {
      c.create();
    }

    admin.message(myself.jid(), "across the balancer");
    myself.awaitMessage("across the balancer", 20);
    myself.message(admin.jid(), "and back");
    admin.awaitMessage("and back", 20);

    List<String> nodes = chats.stream().map(BinderyBehindHaproxyIT::nodeOf).toList();
    assertThat(nodes).as("the node named in each sid").contains("b1", "b2")
        .allMatch(n -> n.equals("b1") || n.equals("b2"));
    assertThat(activeSessions(node1) + activeSessions(node2)).isEqualTo(4);
    assertThat(activeSessions(node1)).isEqualTo(nodes.stream().filter("b1"::equals).count());
    // affinity needs no cookie: cross-origin requests carry none
    chats.forEach(c -> assertThat(c.cookies()).isEmpty());
    chats.forEach(c -> assertThat(c.failures).isEmpty());
    assertThat(metric(node1, "bosh_foreign_sid_requests_total")
        + metric(node2, "bosh_foreign_sid_requests_total")).as("misrouted requests").isZero();
  }

  /** WebSocket needs no affinity: one connection, on whichever node the balancer picked. */
  @Test
  void webSocketClientsChatThroughTheBalancer() throws Exception {
    URI ws = URI.create(endpoint.toString().replaceFirst("^http", "ws")
        .replace("/http-bind", "/xmpp-websocket"));
    try (WsClient admin = WsClient.connect(ws, "xmpp");
        WsClient myself = WsClient.connect(ws, "xmpp")) {
      String adminJid = admin.login("localhost", "admin", "mypassword1", "ws");
      String myselfJid = myself.login("localhost", "myself", "mypassword2", "ws");
      admin.send("<message xmlns='jabber:client' type='chat' to='" + myselfJid + "'>"
          + "<body>over the balancer's WebSocket</body></message>");
      assertThat(myself.nextContaining("<message")).contains("over the balancer's WebSocket")
          .contains(adminJid);
      String active = "bosh_sessions_active{transport=\"websocket\"} ";
      assertThat(metric(node1, active) + metric(node2, active)).isEqualTo(2);
    }
  }

  @Test
  void killingANodeEndsOnlyItsSessionsWithATerminalCondition() throws Exception {
    BoshChat onNode1 = loggedInOn("b1", "admin", "mypassword1");
    BoshChat adminOnNode2 = loggedInOn("b2", "admin", "mypassword1");
    BoshChat myselfOnNode2 = loggedInOn("b2", "myself", "mypassword2");
    awaitActiveSessions(node1, 1);

    node1.process.kill();

    Body end;
    try {
      end = onNode1.terminated.get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no terminal condition; failures: " + onNode1.failures + "\n"
          + cluster.haproxyOutput(), e);
    }
    assertThat(end.condition()).isPresent().get().isIn(
        BindingCondition.REMOTE_CONNECTION_FAILED, BindingCondition.ITEM_NOT_FOUND);
    myselfOnNode2.message(adminOnNode2.jid(), "still here");
    adminOnNode2.awaitMessage("still here", 20);
    adminOnNode2.message(myselfOnNode2.jid(), "me too");
    myselfOnNode2.awaitMessage("me too", 20);
    assertThat(adminOnNode2.failures).isEmpty();
    assertThat(myselfOnNode2.failures).isEmpty();
    assertThat(adminOnNode2.terminated).isNotDone();
    if (end.condition().orElseThrow() == BindingCondition.ITEM_NOT_FOUND) {
      assertThat(metric(node2, "bosh_foreign_sid_requests_total"))
          .as("the dead node's request, redispatched to the live one").isPositive();
    }
  }

  @Test
  void drainingANodeMovesNewSessionsToTheOtherWithNoFailedRequest() throws Exception {
    BoshChat adminOnNode1 = loggedInOn("b1", "admin", "mypassword1");
    BoshChat myselfOnNode2 = loggedInOn("b2", "myself", "mypassword2");

    node1.process.terminate(); // SIGTERM: drain
    cluster.awaitServerStatus("b1", "DOWN");

    for (int i = 0; i < 3; i++) {
      BoshChat fresh = chat();
      assertThat(fresh.create().sid()).isPresent();
      assertThat(nodeOf(fresh)).isEqualTo("b2");
    }
    // the draining node's session keeps chatting through its grace period
    adminOnNode1.message(myselfOnNode2.jid(), "draining but alive");
    myselfOnNode2.awaitMessage("draining but alive", 20);
    myselfOnNode2.message(adminOnNode1.jid(), "good to hear");
    adminOnNode1.awaitMessage("good to hear", 20);

    Body end = adminOnNode1.terminated.get(GRACE_SECONDS + 10, TimeUnit.SECONDS);
    assertThat(end.condition()).contains(BindingCondition.SYSTEM_SHUTDOWN);
    assertThat(node1.process.waitFor(10)).isIn(0, 143); // 143: the JVM's exit after SIGTERM
    assertThat(node1.process.outputText()).contains("draining: 1 sessions")
        .contains("ending 1 sessions with system-shutdown");
    chats.forEach(c -> assertThat(c.failures).as("failed requests").isEmpty());
    assertThat(myselfOnNode2.terminated).isNotDone();
  }

  BoshChat chat() {
    BoshChat c = new BoshChat(endpoint);
    chats.add(c);
    return c;
  }

  /**
   * A session logged in on {@code node}: new sessions are balanced, so this logs in until one
   * lands there (leastconn alternates between two nodes), ending the others.
   */
  BoshChat loggedInOn(String node, String user, String password) throws Exception {
    for (int attempt = 0; attempt < 10; attempt++) {
      BoshChat c = chat();
      c.login(user, password);
      if (nodeOf(c).equals(node)) {
        return c;
      }
      chats.remove(c);
      c.logout(); // not just close(): a session left behind would count on the other node
      c.close();
    }
    throw new AssertionError("no session landed on " + node + " in 10 logins");
  }

  /** Waits until the node counts {@code n} live sessions (an ended one is removed just after). */
  static void awaitActiveSessions(BinderyProcess node, long n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (activeSessions(node) != n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("node has " + activeSessions(node) + " sessions, not " + n);
      }
      Thread.sleep(50); // polling the node's metrics
    }
  }

  /** The node a session lives on: its sid's prefix (node.name). */
  static String nodeOf(BoshChat c) {
    String sid = c.sid();
    assertThat(sid).as("sid").contains(".");
    return sid.substring(0, sid.indexOf('.'));
  }

  static long activeSessions(BinderyProcess node) throws Exception {
    return metric(node, "bosh_sessions_active{transport=\"bosh\"} ");
  }

  /** The value of the sample that starts with {@code prefix} on the node's {@code /metrics}. */
  static long metric(BinderyProcess node, String prefix) throws Exception {
    String metrics = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
        .send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + node.adminPort + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return metrics.lines().filter(l -> l.startsWith(prefix))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst().orElseThrow();
  }
}
