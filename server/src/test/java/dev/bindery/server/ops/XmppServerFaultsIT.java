package dev.bindery.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.server.it.ChildProcess;
import dev.bindery.server.it.EjabberdServer;
import dev.bindery.server.it.ProsodyServer;
import dev.bindery.server.it.XmppServer;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults of the XMPP server itself, injected while clients chat through one Bindery node (its own
 * JVM) in front of a real Prosody or ejabberd: the server SIGKILLed and started again on the same
 * ports and data, and the server frozen (SIGSTOP) for longer than the BOSH wait and the stream
 * features timeout, then resumed (SIGCONT). Pairs of clients without stream management send
 * numbered messages at a steady rate throughout; each test counts what was sent and delivered
 * before, around and after the fault, what the clients saw and when, and the node's sessions,
 * heap, descriptors and threads before and after. Each prints a row of the table in
 * docs/reliability.md.
 */
class XmppServerFaultsIT {

  enum Server {
    PROSODY, EJABBERD
  }

  static final String DOMAIN = "localhost";
  static final int PAIRS = 2;
  static final int MESSAGES_PER_SECOND = 5;
  /** Messages each route must deliver beyond those sent so far: the chat flows. */
  static final int FLOWING = 5;
  static final Duration PATIENCE = Duration.ofSeconds(30);
  /**
   * A bound, not a benchmark: from the kill to each client's terminal body. Bindery answers a
   * held request as soon as the kernel reports the connection closed, milliseconds; the bound
   * leaves room for a loaded two-core machine, and is far below the BOSH wait (10 s) that a
   * request left unanswered would take. Also the bound from the restarted server listening to
   * each client in a new session: clients try again every 250 ms, and a login is a few round
   * trips.
   */
  static final Duration PROMPT = Duration.ofSeconds(3);
  /** How long the server stays dead before it is started again. */
  static final Duration DOWN = Duration.ofSeconds(2);
  /** Longer than the clients' BOSH wait and than {@link #FEATURES_TIMEOUT_SECONDS}. */
  static final Duration FREEZE = Duration.ofSeconds(15);
  static final int FEATURES_TIMEOUT_SECONDS = 5;
  /** The node's {@code upstream.max-buffered-bytes}: the default. */
  static final int MAX_BUFFERED_BYTES = 1 << 20;
  /** Netty's default high-water mark of a connection's outbound buffer. */
  static final int HIGH_WATER_MARK = 64 * 1024;
  /** The heavy sender: one stanza of this many characters every {@link #HEAVY_PERIOD_MILLIS}. */
  static final int HEAVY_CHARS = 32 * 1024;
  static final long HEAVY_PERIOD_MILLIS = 10;
  /** Slack for "back to baseline": GC and JIT noise, not a session's worth of anything. */
  static final long HEAP_SLACK = 16 << 20;
  static final long RSS_SLACK = 256L << 20;
  static final int DESCRIPTOR_SLACK = 4;
  static final int THREAD_SLACK = 4;

  private static final List<String> ROWS = new ArrayList<>();
  /** Direct buffers, the JDK's count and Netty's allocator's (whichever allocates them). */
  private static final Pattern DIRECT = Pattern.compile("(?m)^(?:jvm_buffer_memory_used_bytes"
      + "\\{id=\"direct\"}|netty_allocator_memory_used\\{[^}]*memory_type=\"direct\"[^}]*})"
      + " ([0-9.E+-]+)$");

  final DeliveryLedger ledger = new DeliveryLedger();
  final List<SmBoshClient> clients = new ArrayList<>();
  XmppServer xmpp;
  BinderyProcess node;

  @AfterAll
  static void report() {
    if (!ROWS.isEmpty()) {
      System.out.println("\n" + FaultFigures.header() + "\n" + String.join("\n", ROWS));
    }
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (xmpp != null) {
        xmpp.signal("CONT"); // never leave a stopped process behind, whatever failed
      }
    } catch (Exception e) {
      // not running any more: nothing to resume
    }
    for (SmBoshClient c : clients) {
      c.logout();
    }
    if (node != null) {
      node.close();
    }
    if (xmpp != null) {
      xmpp.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void killedServerEndsSessionsAtOnceAndNewOnesWorkOnceItIsBack(Server server) throws Exception {
    NodeVitals baseline = setUp(server, false);
    List<SmBoshClient> chat = loginPairs("");
    try (PacedSenders senders = senders(chat)) {
      senders.awaitRoutes(1, 40);
      senders.start();
      assertThat(ledger.awaitFlowing(r -> true, FLOWING, PATIENCE)).as("chat flowing").isTrue();
      Map<DeliveryLedger.Route, Long> safe = ledger.mark();
      Thread.sleep(1000); // chat goes on: what is sent from here may be in flight at the kill
      Map<DeliveryLedger.Route, Long> atKill = ledger.mark();
      long killedAt = System.nanoTime();
      xmpp.signal("KILL");

      List<Long> detection = new ArrayList<>();
      List<String> causes = new ArrayList<>();
      for (SmBoshClient c : chat) {
        assertThat(awaitEnd(c, PATIENCE)).as(c + " saw its session end; " + c.problems).isTrue();
        SmBoshClient.SessionEnd end = c.ends().get(0);
        detection.add(TimeUnit.NANOSECONDS.toMillis(end.atNanos() - killedAt));
        causes.add(end.cause());
      }
      // what was sent up to here went into sessions that were ending: in flight at the kill
      Map<DeliveryLedger.Route, Long> ended = ledger.mark();
      // the sessions ended: the server's sockets are gone; from now on, watch for it to listen
      CompletableFuture<Long> listening = CompletableFuture.supplyAsync(this::awaitListening);
      Thread.sleep(Math.max(0, DOWN.toMillis()
          - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt)));
      long restartAt = System.nanoTime();
      xmpp.restart();
      long backAt = listening.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertThat(backAt).as("listening again only after the restart").isGreaterThan(restartAt);
      List<Long> recovery = new ArrayList<>();
      for (SmBoshClient c : chat) {
        assertThat(c.awaitReconnects(1, PATIENCE)).as(c + " logged in again; " + c.problems)
            .isTrue();
        SmBoshClient.Reconnect r = c.reconnects().get(0);
        long loggedInAt = c.ends().get(0).atNanos() + r.recovery().toNanos();
        recovery.add(TimeUnit.NANOSECONDS.toMillis(loggedInAt - backAt));
      }
      senders.awaitRoutes(100, 40); // each new session's presence is in before counting again
      Map<DeliveryLedger.Route, Long> recovered = ledger.mark();
      assertThat(ledger.awaitFlowing(r -> true, FLOWING, PATIENCE)).as("chat flowing again")
          .isTrue();
      senders.close();
      awaitPhaseDelivered(recovered);

      FaultFigures figures = new FaultFigures("SIGKILL, restart after "
          + DOWN.toSeconds() + " s", server.name().toLowerCase(),
          ledger.figures(all(), Map.of(), safe), ledger.figures(all(), safe, recovered),
          ledger.figures(all(), recovered, null), distinct(causes),
          max(detection) + " ms max", "server listening " + millis(restartAt, backAt)
          + " ms after its start; clients in session " + max(recovery) + " ms max after that",
          baseline, settle(baseline));
      report(figures, chat);
      DeliveryLedger.Figures inFlight = ledger.figures(all(), safe, ended);
      DeliveryLedger.Figures whileDown = ledger.figures(all(), ended, recovered);
      long bounced = chat.stream().mapToLong(
          c -> c.problems.stream().filter(p -> p.contains(" bounced: ")).count()).sum();
      System.out.println("  in flight (sent from 1 s before the kill until every client saw its"
          + " session end): sent " + inFlight.sent() + ", delivered " + inFlight.delivered() + " "
          + inFlight.missing() + "; of them after the kill: "
          + ledger.figures(all(), atKill, ended).sent() + "; while the clients had no session:"
          + " sent " + whileDown.sent() + ", delivered " + whileDown.delivered()
          + ", bounced to their senders " + bounced + "; detection " + detection
          + " ms; back after " + recovery + " ms");

      assertThat(figures.before().lost()).as("messages sent before the kill").isZero();
      assertThat(figures.before().sent()).isPositive();
      assertThat(figures.after().lost()).as("messages sent after the restart").isZero();
      assertThat(whileDown.lost()).as("messages queued while down and lost without a bounce")
          .isLessThanOrEqualTo(bounced);
      assertThat(figures.after().sent()).isPositive();
      assertThat(causes).as("what each client saw")
          .allMatch(c -> c.contains("remote-connection-failed"));
      assertThat(detection).as("ms from the kill to each terminal body")
          .allMatch(ms -> ms <= PROMPT.toMillis());
      assertThat(recovery).as("ms from the server listening again to each client in session")
          .allMatch(ms -> ms <= PROMPT.toMillis());
      assertBackToBaseline(baseline, figures.afterwards());
    }
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void frozenServerKeepsSessionsDeliversAfterwardsAndBoundsMemory(Server server)
      throws Exception {
    NodeVitals baseline = setUp(server, true);
    long baselineDirect = directBytes();
    List<SmBoshClient> chat = loginPairs("");
    HeavySender heavy = new HeavySender(node.endpoint(), DOMAIN, HEAVY_CHARS);
    heavy.login("heavy", "pw-heavy");
    try (PacedSenders senders = senders(chat); heavy) {
      senders.awaitRoutes(1, 40);
      senders.start();
      assertThat(ledger.awaitFlowing(r -> true, FLOWING, PATIENCE)).as("chat flowing").isTrue();
      Map<DeliveryLedger.Route, Long> safe = ledger.mark();
      Thread.sleep(1000);

      long frozenAt = System.nanoTime();
      xmpp.signal("STOP");
      heavy.start(HEAVY_PERIOD_MILLIS);
      CompletableFuture<String> late = CompletableFuture.supplyAsync(this::lateLogin);
      long peakDirect = 0;
      while (System.nanoTime() - frozenAt < FREEZE.toNanos() - TimeUnit.SECONDS.toNanos(4)) {
        peakDirect = Math.max(peakDirect, directBytes());
        Thread.sleep(250);
      }
      NodeVitals frozen = NodeVitals.of(node);
      peakDirect = Math.max(peakDirect, directBytes());
      long heavySent = heavy.sentBytes();
      Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(
          frozenAt + FREEZE.toNanos() - System.nanoTime())));
      Map<DeliveryLedger.Route, Long> atThaw = ledger.mark();
      xmpp.signal("CONT");
      long thawedAt = System.nanoTime();
      String lateOutcome = late.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

      awaitPhaseDelivered(safe, atThaw);
      long deliveredAt = System.nanoTime();
      assertThat(ledger.awaitFlowing(r -> true, FLOWING, PATIENCE)).as("chat flowing after")
          .isTrue();
      senders.close();
      awaitPhaseDelivered(atThaw);
      heavy.close();

      List<String> ends = chat.stream().flatMap(c -> c.ends().stream())
          .map(SmBoshClient.SessionEnd::cause).toList();
      String heavyOutcome = heavy.ended.isDone()
          ? "heavy sender (" + heavySent / 1024 + " KiB sent in the freeze) ended after "
              + TimeUnit.NANOSECONDS.toMillis(heavy.endedAtNanos() - frozenAt) + " ms: "
              + heavy.ended.getNow("")
          : "heavy sender (" + heavySent / 1024 + " KiB sent in the freeze) not ended";
      String saw = "chat: " + (ends.isEmpty() ? "no session ended, held requests answered empty"
          : distinct(ends)) + "; " + heavyOutcome + "; login during the freeze: " + lateOutcome;
      FaultFigures figures = new FaultFigures("SIGSTOP " + FREEZE.toSeconds() + " s, SIGCONT",
          server.name().toLowerCase(), ledger.figures(all(), Map.of(), safe),
          ledger.figures(all(), safe, atThaw), ledger.figures(all(), atThaw, null), saw,
          "-", "frozen stanzas delivered " + TimeUnit.NANOSECONDS.toMillis(deliveredAt - thawedAt)
          + " ms after SIGCONT", baseline, settle(baseline));
      report(figures, chat);
      long bound = boundDuringFreeze();
      System.out.printf("  during the freeze: %s; direct memory peak %.1f MiB (baseline"
              + " %.1f MiB); bound above baseline %.1f MiB%n", frozen, peakDirect / 1048576.0,
          baselineDirect / 1048576.0, bound / 1048576.0);

      assertThat(figures.before().lost()).as("sent before the freeze").isZero();
      assertThat(figures.around().lost()).as("sent during the freeze, delivered after it")
          .isZero();
      assertThat(figures.after().lost()).as("sent after the freeze").isZero();
      assertThat(ends).as("chat sessions ended").isEmpty();
      assertThat(chat).as("chat clients' problems (bounces, failed requests)")
          .allSatisfy(c -> assertThat(c.problems).isEmpty());
      assertThat(lateOutcome).as("a login while the server is frozen")
          .contains("remote-connection-failed");
      assertThat(frozen.heapAfterGc()).as("heap after GC during the freeze")
          .isLessThanOrEqualTo(baseline.heapAfterGc() + bound);
      assertThat(peakDirect).as("direct memory during the freeze")
          .isLessThanOrEqualTo(baselineDirect + bound);
      assertThat(heavy.ended.getNow("")).as("the heavy sender was told")
          .contains("remote-connection-failed");
      assertBackToBaseline(baseline, figures.afterwards());
    }
  }

  /**
   * What a node may hold above its baseline while the server reads nothing: per session, what
   * it may keep for its client ({@code upstream.max-buffered-bytes}), what may wait for the
   * server (as much again above the 64 KiB high-water mark, plus the request body, at most 1 MiB,
   * that crossed the line), and 8 MiB for everything else (pooled buffers, GC noise).
   */
  private long boundDuringFreeze() {
    int sessions = clients.size() + 1;
    return sessions * (2L * MAX_BUFFERED_BYTES + HIGH_WATER_MARK + MAX_BUFFERED_BYTES)
        + (8L << 20);
  }

  /**
   * Starts the server, registers the accounts (with {@code heavy}, the heavy sender's too),
   * starts the node and warms it up; returns the baseline.
   */
  private NodeVitals setUp(Server server, boolean heavy) throws Exception {
    xmpp = switch (server) {
      case PROSODY -> {
        Assumptions.assumeTrue(Prosody.installed(), "Prosody is not installed");
        yield ProsodyServer.start(DOMAIN);
      }
      case EJABBERD -> {
        Assumptions.assumeTrue(ChildProcess.onPath("ejabberdctl"), "ejabberd is not installed");
        yield EjabberdServer.startWithModules(DOMAIN, List.of());
      }
    };
    for (int i = 1; i <= 2 * PAIRS; i++) {
      xmpp.register("c" + i, "pw-c" + i);
    }
    xmpp.register("late", "pw-late");
    if (heavy) {
      xmpp.register("heavy", "pw-heavy");
    }
    node = BinderyProcess.start("b1", "--upstream", "127.0.0.1:" + xmpp.c2sPort(),
        "--domain", DOMAIN, "--set", "upstream.features-timeout=" + FEATURES_TIMEOUT_SECONDS
            + "s", "--set", "upstream.max-buffered-bytes=" + MAX_BUFFERED_BYTES);
    // every event loop and a few HTTP threads started, classes loaded: then the baseline
    List<SmBoshClient> warm = loginPairs("warm-");
    for (SmBoshClient c : warm) {
      c.logout();
    }
    clients.clear();
    return settle(null);
  }

  /** Logs in c1..cN; c1 talks to c2, c3 to c4. */
  private List<SmBoshClient> loginPairs(String prefix) throws Exception {
    List<SmBoshClient> chat = new ArrayList<>();
    for (int i = 1; i <= 2 * PAIRS; i++) {
      String user = "c" + i;
      SmBoshClient c = new SmBoshClient(prefix + user, node.endpoint(), DOMAIN, user,
          "pw-" + user, false, body -> ledger.received(user, body));
      clients.add(c);
      c.login();
      chat.add(c);
    }
    return chat;
  }

  /**
   * On a thread of its own, after the kill: polls the server's port until it accepts a
   * connection again, and returns when ({@link System#nanoTime()}).
   */
  private long awaitListening() {
    long deadline = System.nanoTime() + 2 * PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket(xmpp.host(), xmpp.c2sPort())) {
        return System.nanoTime();
      } catch (IOException e) {
        try {
          Thread.sleep(10); // not listening yet: a pause before the next look
        } catch (InterruptedException stop) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    throw new IllegalStateException("the server never listened again");
  }

  private static long millis(long fromNanos, long toNanos) {
    return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
  }

  /** A client that logs in while the server is frozen: how its login ended, and when. */
  private String lateLogin() {
    long started = System.nanoTime();
    SmBoshClient c = new SmBoshClient("late", node.endpoint(), DOMAIN, "late", "pw-late", false,
        body -> { });
    try {
      c.login();
      c.logout();
      return "logged in after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
          + " ms";
    } catch (Exception e) {
      return "failed after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
          + " ms: " + e.getMessage();
    }
  }

  private PacedSenders senders(List<SmBoshClient> chat) {
    PacedSenders senders = new PacedSenders(ledger, MESSAGES_PER_SECOND);
    for (int i = 0; i < chat.size(); i += 2) {
      senders.add(chat.get(i), chat.get(i + 1)).add(chat.get(i + 1), chat.get(i));
    }
    return senders;
  }

  private static boolean awaitEnd(SmBoshClient c, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (c.ends().isEmpty()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5); // polling the client's record of its sessions
    }
    return true;
  }

  /** Waits until every message sent after {@code from} (and up to {@code to}) has arrived. */
  private void awaitPhaseDelivered(Map<DeliveryLedger.Route, Long> from,
      Map<DeliveryLedger.Route, Long> to) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (ledger.figures(all(), from, to).lost() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50); // polling the ledger
    }
  }

  private void awaitPhaseDelivered(Map<DeliveryLedger.Route, Long> from)
      throws InterruptedException {
    awaitPhaseDelivered(from, null);
  }

  /**
   * Logs out every client still in, then reads the node's vitals until no session is left, no
   * connection to the XMPP server, and (with a baseline) the rest is back to it, or 30 s passed.
   */
  private NodeVitals settle(NodeVitals baseline) throws Exception {
    for (SmBoshClient c : clients) {
      c.logout();
    }
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      NodeVitals v = NodeVitals.of(node);
      SocketCensus sockets = census();
      boolean settled = v.sessions() == 0 && sockets.toPort() == 0
          && (baseline == null || backTo(baseline, v, sockets));
      if (settled || System.nanoTime() > deadline) {
        return v;
      }
      Thread.sleep(500); // the sessions' ends reach the node's gauges
    }
  }

  private SocketCensus census() throws Exception {
    return SocketCensus.of(node.process.pid(), xmpp.c2sPort(), node.port);
  }

  /**
   * Back to baseline: no session, no connection to the server, heap and threads within slack,
   * descriptors within slack beyond the clients' idle HTTP keep-alive connections (Jetty closes
   * those after max-wait + 30 s).
   */
  private static boolean backTo(NodeVitals baseline, NodeVitals now, SocketCensus sockets) {
    return now.backTo(baseline, HEAP_SLACK, RSS_SLACK, DESCRIPTOR_SLACK + sockets.fromPort(),
        THREAD_SLACK);
  }

  private void assertBackToBaseline(NodeVitals baseline, NodeVitals after) throws Exception {
    SocketCensus sockets = census();
    assertThat(sockets.toPort()).as("connections from the node to the XMPP server").isZero();
    assertThat(backTo(baseline, after, sockets)).as("vitals " + after + " back to " + baseline
        + " (client keep-alive connections: " + sockets.fromPort() + ")").isTrue();
  }

  private long directBytes() throws Exception {
    return (long) NodeVitals.metric(node, DIRECT);
  }

  private void report(FaultFigures figures, List<SmBoshClient> chat) throws Exception {
    System.out.println(figures + "; idle HTTP keep-alive connections of the clients at the end: "
        + census().fromPort());
    for (SmBoshClient c : chat) {
      if (!c.problems.isEmpty()) {
        System.out.println("  " + c.name() + ": " + c.problems.stream().limit(5).toList()
            + (c.problems.size() > 5 ? " and " + (c.problems.size() - 5) + " more" : ""));
      }
    }
    ROWS.add(figures.row());
  }

  private static Predicate<DeliveryLedger.Route> all() {
    return r -> true;
  }

  private static long max(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).max().orElse(-1);
  }

  /** The distinct conditions in the clients' causes, e.g. "remote-connection-failed ×4". */
  private static String distinct(List<String> causes) {
    return causes.stream().map(c -> {
      Matcher m = Pattern.compile("connection manager: ([a-z-]+)").matcher(c);
      return m.find() ? m.group(1) : c;
    }).collect(Collectors.groupingBy(c -> c, TreeMap::new, Collectors.counting()))
        .entrySet().stream().map(e -> e.getKey() + " ×" + e.getValue())
        .collect(Collectors.joining(", "));
  }
}
