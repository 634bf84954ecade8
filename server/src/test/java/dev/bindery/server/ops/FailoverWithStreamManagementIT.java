package dev.bindery.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.server.it.ChildProcess;
import dev.bindery.server.it.EjabberdServer;
import dev.bindery.server.it.ProsodyServer;
import dev.bindery.server.it.XmppServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Failover with nothing lost, measured: three Bindery nodes behind the shipped HAProxy config,
 * in front of a real Prosody (mod_smacks) or ejabberd (mod_stream_mgmt), and pairs of clients
 * chatting with numbered messages at a steady rate while a node is killed, drained, or every
 * node is restarted in turn. Clients with XEP-0198 stream management resume their stream
 * through a surviving node and must lose no message; what a client without it loses when its
 * node is killed is measured and reported, not asserted. Each test prints its figures as a row
 * of the tables in docs/reliability.md.
 */
class FailoverWithStreamManagementIT {

  /** The XMPP servers, each configured for resumption. */
  enum Server {
    PROSODY, EJABBERD
  }

  static final String DOMAIN = "localhost";
  static final int NODES = 3;
  /** Client pairs with stream management: each client sends to its partner. */
  static final int PAIRS = 3;
  static final int MESSAGES_PER_SECOND = 5;
  static final int GRACE_SECONDS = 3;
  /** How long the servers keep a broken stream for resumption: far beyond any recovery here. */
  static final int RESUMPTION_SECONDS = 60;
  /** Messages each route must deliver beyond those sent so far, before and after a fault. */
  static final int FLOWING = 10;
  static final Duration PATIENCE = Duration.ofSeconds(30);

  private static final Map<Server, XmppServer> SERVERS = new EnumMap<>(Server.class);
  private static final List<String> ROWS = new ArrayList<>();

  HaproxyCluster cluster;
  final DeliveryLedger ledger = new DeliveryLedger();
  final List<SmBoshClient> clients = new ArrayList<>();

  @BeforeAll
  static void requireHaproxy() {
    Assumptions.assumeTrue(HaproxyCluster.haproxyInstalled(), "HAProxy is not installed");
  }

  @AfterAll
  static void stopServersAndReport() {
    SERVERS.values().forEach(XmppServer::close);
    SERVERS.clear();
    if (!ROWS.isEmpty()) {
      System.out.println("\n" + FailoverFigures.header() + "\n" + String.join("\n", ROWS));
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (SmBoshClient c : clients) {
      c.logout(); // no resumable leftovers for the next test
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void killingANodeLosesNoMessageOfClientsThatResume(Server server) throws Exception {
    XmppServer xmpp = start(server);
    List<SmBoshClient> sm = loginPairs(xmpp);
    String victim = busiestNode(sm);
    List<SmBoshClient> onVictim = on(victim, sm);
    // a pair without stream management: one on the victim, one elsewhere
    SmBoshClient plainOnVictim = plainClientOn(xmpp, "plain1", victim::equals);
    SmBoshClient plainElsewhere = plainClientOn(xmpp, "plain2", n -> !n.equals(victim));
    try (PacedSenders senders = senders(sm)) {
      senders.add(plainOnVictim, plainElsewhere).add(plainElsewhere, plainOnVictim);
      senders.awaitRoutes(1, 20);
      System.out.println(java.time.LocalTime.now() + " sending");
      senders.start();
      assertThat(ledger.awaitFlowing(r -> true, FLOWING, PATIENCE)).as("chat flowing").isTrue();

      System.out.println(java.time.LocalTime.now() + " killing " + victim);
      cluster.kill(victim);

      awaitReconnected(onVictim, 1);
      assertThat(plainOnVictim.awaitConnected(PATIENCE)).as("plain client back").isTrue();
      assertThat(ledger.awaitFlowing(r -> true, FLOWING, PATIENCE)).as("chat flowing again")
          .isTrue();
    }
    FailoverFigures figures = settle("node kill (SIGKILL)", server, sm);
    assertNothingLost(figures, sm);
    for (SmBoshClient c : sm) {
      assertThat(c.reconnects()).as(c + " reconnections").hasSize(onVictim.contains(c) ? 1 : 0)
          .allSatisfy(r -> assertThat(r.toNode()).isNotEqualTo(victim));
    }

    // without stream management: whatever was in flight or sent to the dead stream is gone
    ledger.awaitDelivered(plainRoutes(), Duration.ofSeconds(5));
    DeliveryLedger.Figures sent = ledger.figures(r -> r.from().equals("plain1"));
    DeliveryLedger.Figures received = ledger.figures(r -> r.to().equals("plain1"));
    String plain = "without stream management (plain1 on " + victim + "): sent " + sent.sent()
        + ", never delivered " + sent.lost() + " " + sent.missing() + "; sent to it "
        + received.sent() + ", never delivered " + received.lost() + " " + received.missing()
        + "; reconnections " + plainOnVictim.reconnects().size() + ", recovery "
        + plainOnVictim.reconnects().stream().map(r -> r.recovery().toMillis() + " ms")
            .toList();
    System.out.println(plain);
    for (SmBoshClient c : List.of(plainOnVictim, plainElsewhere)) {
      if (!c.problems.isEmpty()) {
        System.out.println("  " + c.name() + ": " + c.problems);
      }
    }
    ROWS.add("<!-- " + server + ": " + plain + " -->");
    assertThat(sent.sent()).as(plain).isPositive();
    assertThat(plainOnVictim.reconnects()).as(plain).hasSize(1)
        .allSatisfy(r -> assertThat(r.resumed()).isFalse());
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void drainingANodeLosesNoMessageOfClientsThatResume(Server server) throws Exception {
    XmppServer xmpp = start(server);
    List<SmBoshClient> sm = loginPairs(xmpp);
    String victim = busiestNode(sm);
    List<SmBoshClient> onVictim = on(victim, sm);
    try (PacedSenders senders = senders(sm)) {
      senders.awaitRoutes(1, 20);
      senders.start();
      assertThat(ledger.awaitFlowing(r -> true, FLOWING, PATIENCE)).as("chat flowing").isTrue();

      cluster.drain(victim);
      cluster.awaitServerStatus(victim, "DOWN");

      awaitReconnected(onVictim, 1);
      assertThat(cluster.awaitExit(victim, GRACE_SECONDS + 15)).isIn(0, 143);
      assertThat(ledger.awaitFlowing(r -> true, FLOWING, PATIENCE)).as("chat flowing again")
          .isTrue();
    }
    FailoverFigures figures = settle("node drain (SIGTERM)", server, sm);
    assertNothingLost(figures, sm);
    for (SmBoshClient c : sm) {
      assertThat(c.reconnects()).as(c + " reconnections").hasSize(onVictim.contains(c) ? 1 : 0)
          .allSatisfy(r -> assertThat(r.cause()).contains("system-shutdown"));
    }
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void rollingRestartLosesNoMessageAndReconnectsEachClientOncePerRestartOfItsNode(Server server)
      throws Exception {
    XmppServer xmpp = start(server);
    List<SmBoshClient> sm = loginPairs(xmpp);
    Map<SmBoshClient, Integer> expected = new HashMap<>();
    try (PacedSenders senders = senders(sm)) {
      senders.awaitRoutes(1, 20);
      senders.start();
      assertThat(ledger.awaitFlowing(r -> true, FLOWING, PATIENCE)).as("chat flowing").isTrue();
      for (int i = 1; i <= NODES; i++) {
        String node = "b" + i;
        List<SmBoshClient> onNode = on(node, sm);
        onNode.forEach(c -> expected.merge(c, 1, Integer::sum));

        cluster.drain(node);
        cluster.awaitServerStatus(node, "DOWN");
        for (SmBoshClient c : onNode) {
          awaitReconnected(List.of(c), expected.get(c));
        }
        assertThat(cluster.awaitExit(node, GRACE_SECONDS + 15)).isIn(0, 143);
        cluster.startAgain(node);
        assertThat(ledger.awaitFlowing(r -> true, FLOWING, PATIENCE))
            .as("chat flowing after restarting " + node).isTrue();
      }
    }
    FailoverFigures figures = settle("rolling restart", server, sm);
    assertNothingLost(figures, sm);
    for (SmBoshClient c : sm) {
      List<String> from = c.reconnects().stream().map(SmBoshClient.Reconnect::fromNode).toList();
      assertThat(from).as(c + ": the nodes it left, one reconnection per restart of its node")
          .hasSize(expected.getOrDefault(c, 0)).doesNotHaveDuplicates();
    }
  }

  /** The server, started on first use with resumption on, and this run's accounts. */
  private XmppServer start(Server server) throws Exception {
    XmppServer xmpp = SERVERS.get(server);
    if (xmpp == null) {
      xmpp = switch (server) {
        case PROSODY -> {
          Assumptions.assumeTrue(Prosody.installed(), "Prosody is not installed");
          yield ProsodyServer.startWithModules(DOMAIN, List.of("smacks"),
              List.of("smacks_hibernation_time = " + RESUMPTION_SECONDS));
        }
        case EJABBERD -> {
          Assumptions.assumeTrue(ChildProcess.onPath("ejabberdctl"), "ejabberd is not installed");
          yield EjabberdServer.startWithModules(DOMAIN, List.of("  mod_stream_mgmt:",
              "    resume_timeout: " + RESUMPTION_SECONDS));
        }
      };
      SERVERS.put(server, xmpp);
      for (int i = 1; i <= 2 * PAIRS; i++) {
        xmpp.register("sm" + i, "pw-sm" + i);
      }
      xmpp.register("plain1", "pw-plain1");
      xmpp.register("plain2", "pw-plain2");
    }
    cluster = HaproxyCluster.start(NODES, List.of("--upstream", "127.0.0.1:" + xmpp.c2sPort(),
        "--domain", DOMAIN, "--drain-grace-period", GRACE_SECONDS + "s",
        "--trusted-proxies", "127.0.0.1"), f -> f);
    return xmpp;
  }

  /** Logs in the clients with stream management, sm1..smN: sm1 talks to sm2, sm3 to sm4... */
  private List<SmBoshClient> loginPairs(XmppServer xmpp) throws Exception {
    List<SmBoshClient> sm = new ArrayList<>();
    for (int i = 1; i <= 2 * PAIRS; i++) {
      SmBoshClient c = client(xmpp, "sm" + i, true);
      c.login();
      sm.add(c);
    }
    System.out.println("clients by node: " + sm.stream()
        .collect(Collectors.groupingBy(SmBoshClient::node, java.util.TreeMap::new,
            Collectors.mapping(SmBoshClient::name, Collectors.toList()))));
    return sm;
  }

  private SmBoshClient client(XmppServer xmpp, String user, boolean streamManagement) {
    SmBoshClient c = new SmBoshClient(user, cluster.endpoint(), xmpp.domain(), user, "pw-" + user,
        streamManagement, body -> ledger.received(user, body));
    clients.add(c);
    return c;
  }

  /**
   * A client without stream management whose session landed on a node {@code where} accepts:
   * HAProxy balances new sessions, so this logs in until one does, logging the others out.
   */
  private SmBoshClient plainClientOn(XmppServer xmpp, String user, Predicate<String> where)
      throws Exception {
    for (int attempt = 0; attempt < 10; attempt++) {
      SmBoshClient c = client(xmpp, user, false);
      c.login();
      if (where.test(c.node())) {
        System.out.println(user + " on " + c.node() + " after " + (attempt + 1) + " login(s)");
        return c;
      }
      c.logout();
      clients.remove(c);
    }
    throw new AssertionError("no session of " + user + " landed where wanted in 10 logins");
  }

  /** Senders for the pairs: sm1 and sm2 to each other, sm3 and sm4... */
  private PacedSenders senders(List<SmBoshClient> sm) {
    PacedSenders senders = new PacedSenders(ledger, MESSAGES_PER_SECOND);
    for (int i = 0; i < sm.size(); i += 2) {
      senders.add(sm.get(i), sm.get(i + 1)).add(sm.get(i + 1), sm.get(i));
    }
    return senders;
  }

  /** The node with the most of {@code clients} (the first such by name). */
  private static String busiestNode(List<SmBoshClient> clients) {
    Map<String, Long> count = clients.stream().collect(Collectors.groupingBy(SmBoshClient::node,
        java.util.TreeMap::new, Collectors.counting()));
    return count.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }

  private static List<SmBoshClient> on(String node, List<SmBoshClient> clients) {
    return clients.stream().filter(c -> c.node().equals(node)).toList();
  }

  private static void awaitReconnected(List<SmBoshClient> clients, int times)
      throws InterruptedException {
    for (SmBoshClient c : clients) {
      if (!c.awaitReconnects(times, PATIENCE)) {
        throw new AssertionError(c + " did not reconnect " + times + " time(s) in " + PATIENCE
            + ": " + c.reconnects() + " " + c.problems);
      }
    }
  }

  private static Predicate<DeliveryLedger.Route> plainRoutes() {
    return r -> r.from().startsWith("plain");
  }

  /** Waits until what the clients sent has arrived, then takes and prints the figures. */
  private FailoverFigures settle(String scenario, Server server, List<SmBoshClient> sm)
      throws InterruptedException {
    List<String> names = sm.stream().map(SmBoshClient::name).toList();
    boolean all = ledger.awaitDelivered(r -> names.contains(r.from()), PATIENCE);
    FailoverFigures figures = FailoverFigures.of(scenario, server.name().toLowerCase(), ledger,
        sm);
    System.out.println(figures);
    for (SmBoshClient c : sm) {
      c.reconnects().forEach(r -> System.out.println("  " + c.name() + ": " + r.fromNode()
          + " -> " + r.toNode() + " in " + r.recovery().toMillis() + " ms after " + r.cause()));
      if (!c.problems.isEmpty()) {
        System.out.println("  " + c.name() + ": " + c.problems);
      }
    }
    ROWS.add(figures.row());
    assertThat(all).as("every message delivered within " + PATIENCE + ": " + figures + "\n"
        + sm.stream().map(c -> c.name() + ": " + c.problems).collect(Collectors.joining("\n")))
        .isTrue();
    return figures;
  }

  private void assertNothingLost(FailoverFigures figures, List<SmBoshClient> sm) {
    assertThat(figures.messages().lost()).as(figures.toString()).isZero();
    assertThat(figures.messages().sent()).as(figures.toString()).isPositive();
    assertThat(figures.failedResumes()).as(figures.toString()).isZero();
    assertThat(ledger.strays()).as("messages from nowhere").isZero();
    for (SmBoshClient c : sm) {
      assertThat(c.problems).as(c + " problems")
          .allMatch(p -> p.contains(" reconnect attempt") || p.contains(">probe "));
      assertThat(c.reconnects()).allSatisfy(r -> assertThat(r.resumed()).as(c + " " + r)
          .isTrue());
    }
  }
}
