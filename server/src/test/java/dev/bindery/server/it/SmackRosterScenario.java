package dev.bindery.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.server.it.SmackBoshClient.Received;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jxmpp.jid.BareJid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;

/**
 * Confined to the JUnit thread that runs it. Two users befriend each other with Smack over
 * BOSH, {@link #RUNS} times, each run with two new accounts: A adds B to its roster and
 * subscribes; B accepts (Smack's {@code accept_all}) and subscribes back, once it has seen the
 * request or, every second run, at once; A accepts; both wait for the roster entry
 * with {@code subscription='both'}, for each other's available presence, and for a chat
 * message from the other.
 *
 * <p>Every run is recorded on both sides of the connection manager: a {@link BoshTap} in front
 * of the BOSH endpoint keeps what each session's client was delivered, and for a Bindery target
 * an {@link UpstreamTap} between Bindery and the XMPP server keeps what the server wrote on each
 * session's TCP stream. The sessions are matched by the JID the server bound.
 *
 * <p>What is asserted is Bindery's part only: for each session, the elements the server wrote
 * reach the client, every one, once, in the server's order ({@link DeliveryCheck}). What the
 * server or Smack do with the subscription is recorded, not asserted: per run, whether each
 * user's roster reached {@code both}, whether the server sent the push that says so, and whether
 * the client was delivered it, and whether Smack's roster handled the pushes in the order they
 * were delivered (jbosh 0.9.2 hands each response to Smack on the thread of its request, so it
 * may not: an older push applied last leaves the entry short of {@code both}). A summary and
 * the details of each run go to the log and to {@code target/smack-roster/<class>.txt}. See
 * docs/reliability.md, "The Smack roster push under ejabberd".
 *
 * <p>{@code -Dbindery.it.smackRosterRuns=N} sets the number of runs (default 3).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SmackRosterScenario {

  private static final Logger LOG = LoggerFactory.getLogger(SmackRosterScenario.class);

  static final String DOMAIN = ChatScenario.DOMAIN;
  static final String PASSWORD = "roster-secret";
  static final int RUNS = Integer.getInteger("bindery.it.smackRosterRuns", 3);

  /** How long a run waits for each step of the subscription dance before it records a miss. */
  static final Duration STEP = Duration.ofSeconds(10);

  /** How long the check waits for the client to be delivered what the server sent. */
  static final Duration SETTLE = Duration.ofSeconds(10);

  private static final AtomicInteger ACCOUNTS = new AtomicInteger();

  /**
   * What a test class runs against.
   *
   * @param server   where the users have their accounts
   * @param bosh     the relay in front of the BOSH endpoint the users log in through
   * @param upstream the relay between Bindery and the server, or {@code null} when the server
   *                 serves BOSH itself
   */
  record Target(XmppServer server, BoshTap bosh, UpstreamTap upstream) {}

  /**
   * One user's side of a run.
   *
   * @param user          the account
   * @param contact       the other user's bare JID
   * @param sawBoth       whether Smack's roster reached {@code both} with nothing pending, if
   *                      only for a moment
   * @param entry         the roster entry for the contact at the end of the run, as Smack has
   *                      it
   * @param smackPushes   the roster push items Smack's roster handled, in order
   * @param serverPushes  the roster items the server sent, in order, or {@code null} when not
   *                      recorded (the server's own BOSH)
   * @param deliveredPushes the roster items the client was delivered, in order
   * @param presence      whether the contact's available presence arrived
   * @param chat          whether the contact's chat message arrived
   * @param check         Bindery's delivery of the session, or {@code null} when not recorded
   * @param elements      how many elements the server sent, or the client was delivered
   */
  record Side(String user, String contact, boolean sawBoth, String entry, List<String> smackPushes,
      List<String> serverPushes, List<String> deliveredPushes, boolean presence, boolean chat,
      DeliveryCheck check, int elements) {

    /**
     * Whether the roster fell short of {@code both}: never reached it, or was left with an
     * older state afterwards.
     */
    boolean rosterShort() {
      return !sawBoth || !"both".equals(entry);
    }

    /**
     * Whether Smack's roster handled the pushes in another order than the client was delivered
     * them (jbosh 0.9.2 hands each response to Smack on the thread of its request).
     */
    boolean smackReordered() {
      List<String> delivered = deliveredPushes.stream()
          .filter(i -> i.startsWith("set:")).map(i -> i.substring(4)).toList();
      return !smackPushes.equals(delivered);
    }

    /** Whether the server sent a roster item that says {@code both} for the contact. */
    boolean serverSentBoth() {
      return serverPushes != null && serverPushes.stream()
          .anyMatch(i -> i.endsWith(":" + contact + " both"));
    }

    /** Whether the client was delivered a roster item that says {@code both}. */
    boolean deliveredBoth() {
      return deliveredPushes.stream().anyMatch(i -> i.endsWith(":" + contact + " both"));
    }
  }

  /** One run: A's side, then B's, and the detail to look at when it went wrong. */
  record Run(int number, Side a, Side b, String detail) {
    boolean rosterMissed() {
      return a.rosterShort() || b.rosterShort();
    }
  }

  private final Closer closer = new Closer();
  private final List<Run> runs = new ArrayList<>();
  private Target target;

  /** Starts the servers and relays, each registered with {@code closer}. */
  protected abstract Target start(Closer closer) throws Exception;

  @BeforeAll
  final void startServers() throws Exception {
    target = start(closer);
  }

  @AfterAll
  final void stopServers() throws Exception {
    try {
      report();
    } finally {
      closer.close();
    }
  }

  @Test
  void everyServerElementReachesTheClientInOrder() throws Exception {
    for (int i = 1; i <= RUNS; i++) {
      Run run = run(i);
      runs.add(run);
      LOG.info("{} {}", getClass().getSimpleName(), line(run));
    }
    if (target.upstream() == null) {
      return; // the server's own BOSH: nothing of Bindery's to check
    }
    for (Run run : runs) {
      for (Side side : List.of(run.a(), run.b())) {
        assertThat(side.check()).as("run %d, %s: delivery of the server's elements\n%s",
            run.number(), side.user(), run.detail()).matches(DeliveryCheck::complete);
        // a login, roster, subscriptions, presence and a message: never a vacuous comparison
        assertThat(side.elements()).as("run %d, %s: elements compared", run.number(),
            side.user()).isGreaterThan(8);
      }
    }
  }

  private Run run(int number) throws Exception {
    int account = ACCOUNTS.incrementAndGet();
    String userA = "ra" + account;
    String userB = "rb" + account;
    XmppServer server = target.server();
    server.register(userA, PASSWORD);
    server.register(userB, PASSWORD);
    URI endpoint = target.bosh().endpoint();
    try (SmackBoshClient a = SmackBoshClient.login(endpoint, server.domain(), userA, PASSWORD);
        SmackBoshClient b = SmackBoshClient.login(endpoint, server.domain(), userB, PASSWORD)) {
      BareJid jidA = a.jid().asBareJid();
      BareJid jidB = b.jid().asBareJid();
      StringBuilder detail = new StringBuilder();

      a.subscribeTo(jidB);
      if (!eager(number)) {
        step(detail, () -> b.awaitPresence(jidA, Presence.Type.subscribe, STEP));
      }
      b.subscribeTo(jidA);
      boolean bothA = step(detail, () -> a.awaitMutualSubscription(jidB, STEP));
      boolean bothB = step(detail, () -> b.awaitMutualSubscription(jidA, STEP));
      boolean presenceA = step(detail,
          () -> a.awaitPresence(b.jid(), Presence.Type.available, STEP));
      boolean presenceB = step(detail,
          () -> b.awaitPresence(a.jid(), Presence.Type.available, STEP));
      a.send(b.jid(), "from A, run " + number);
      b.send(a.jid(), "from B, run " + number);
      boolean chatB = step(detail, () -> assertThat(b.awaitMessage()).isEqualTo(
          new Received(a.jid(), Message.Type.chat, "from A, run " + number)));
      boolean chatA = step(detail, () -> assertThat(a.awaitMessage()).isEqualTo(
          new Received(b.jid(), Message.Type.chat, "from B, run " + number)));

      Side sideA = side(a, jidB, bothA, presenceA, chatA, detail);
      Side sideB = side(b, jidA, bothB, presenceB, chatB, detail);
      return new Run(number, sideA, sideB, detail.toString());
    }
  }

  /**
   * Whether B subscribes back at once, racing A's request through the server (as {@link
   * ChatScenario} does), rather than after it has seen the request: every second run.
   */
  static boolean eager(int number) {
    return number % 2 == 0;
  }

  /** A step of the dance: true when it happened in time, else false with the miss noted. */
  private static boolean step(StringBuilder detail, Step step) throws InterruptedException {
    try {
      step.run();
      return true;
    } catch (AssertionError missed) {
      detail.append("missed: ").append(missed.getMessage()).append('\n');
      return false;
    }
  }

  @FunctionalInterface
  private interface Step {
    void run() throws InterruptedException;
  }

  /**
   * Records one user's side: what Smack has, and what the server sent and the client was
   * delivered on its session, waiting up to {@link #SETTLE} for the two to agree.
   */
  private Side side(SmackBoshClient client, BareJid contact, boolean sawBoth, boolean presence,
      boolean chat, StringBuilder detail) throws Exception {
    String jid = client.jid().toString();
    String sid = sessionOf(jid);
    List<Element> delivered = delivered(sid);
    List<Element> sent = null;
    DeliveryCheck check = null;
    long deadline = System.nanoTime() + SETTLE.toNanos();
    if (target.upstream() != null) {
      while (true) {
        sent = upstreamOf(jid);
        check = DeliveryCheck.compare(canonical(sent), canonical(delivered));
        if (check.complete() || System.nanoTime() > deadline) {
          break;
        }
        Thread.sleep(100);
        delivered = delivered(sid);
      }
    }
    Side side = new Side(jid, contact.toString(), sawBoth, client.rosterEntry(contact),
        client.rosterPushes(), sent == null ? null : rosterItems(sent), rosterItems(delivered),
        presence, chat, check, (sent == null ? delivered : sent).size());
    if (side.rosterShort() || side.smackReordered() || (check != null && !check.complete())) {
      detail.append("== ").append(jid).append(" sid=").append(sid).append(": entry ")
          .append(side.entry()).append(", Smack handled pushes ").append(side.smackPushes())
          .append(", ").append(check == null ? "not compared" : check).append('\n');
      if (sent != null) {
        detail.append("-- the server wrote:\n");
        sent.forEach(e -> detail.append("   ").append(XmppElements.canonical(e)).append('\n'));
      }
      detail.append("-- the client was delivered (by rid):\n");
      for (BoshTap.Exchange e : target.bosh().exchanges(sid)) {
        detail.append("   rid=").append(e.rid()).append(" ms=")
            .append(e.answeredNanos() / 1_000_000 % 1_000_000).append(":\n");
        XmppElements.payloads(e.response()).forEach(p ->
            detail.append("      ").append(XmppElements.canonical(p)).append('\n'));
      }
    }
    return side;
  }

  /** The BOSH session whose client was bound to {@code jid}. */
  private String sessionOf(String jid) {
    for (String sid : target.bosh().sids()) {
      if (delivered(sid).stream().map(XmppElements::boundJid)
          .anyMatch(j -> j.filter(jid::equals).isPresent())) {
        return sid;
      }
    }
    throw new AssertionError("no BOSH session was bound to " + jid);
  }

  /** What session {@code sid} was delivered, response by response in {@code rid} order. */
  private List<Element> delivered(String sid) {
    List<Element> elements = new ArrayList<>();
    for (BoshTap.Exchange e : target.bosh().exchanges(sid)) {
      if (!e.response().isEmpty()) {
        elements.addAll(XmppElements.payloads(e.response()));
      }
    }
    return elements;
  }

  /** What the server wrote on the TCP connection where it bound {@code jid}. */
  private List<Element> upstreamOf(String jid) {
    for (UpstreamTap.Connection c : target.upstream().connections()) {
      List<Element> elements = XmppElements.splitStream(c.fromServer());
      Optional<String> bound = elements.stream().map(XmppElements::boundJid)
          .flatMap(Optional::stream).findFirst();
      if (bound.filter(jid::equals).isPresent()) {
        return elements;
      }
    }
    throw new AssertionError("no upstream connection bound " + jid);
  }

  private static List<String> canonical(List<Element> elements) {
    return elements.stream().map(XmppElements::canonical).toList();
  }

  private static List<String> rosterItems(List<Element> elements) {
    return elements.stream().flatMap(e -> XmppElements.rosterItems(e).stream()
        .map(i -> e.getAttribute("type") + ":" + i)).toList();
  }

  private static String line(Run run) {
    return String.format("run %d (%s): %s | %s", run.number(),
        eager(run.number()) ? "B subscribes at once" : "B subscribes after the request",
        side(run.a()), side(run.b()));
  }

  private static String side(Side s) {
    return String.format("%s both=%s entry=[%s] presence=%s chat=%s smackPushes=%s"
            + " serverRoster=%s deliveredRoster=%s check=%s",
        s.user(), s.sawBoth(), s.entry(), s.presence(), s.chat(), s.smackPushes(),
        s.serverPushes(), s.deliveredPushes(), s.check() == null ? "-" : s.check().kind());
  }

  /** Logs the counts and writes every run, with the detail of the odd ones, to a file. */
  private void report() throws IOException {
    long missed = runs.stream().filter(Run::rosterMissed).count();
    long diverged = runs.stream().flatMap(r -> List.of(r.a(), r.b()).stream())
        .filter(s -> s.check() != null && !s.check().complete()).count();
    List<Side> sides = runs.stream().flatMap(r -> List.of(r.a(), r.b()).stream()).toList();
    List<Side> short_ = sides.stream().filter(Side::rosterShort).toList();
    String summary = String.format("%s: %d runs, %d with a roster entry short of both"
            + " (%d users, %d never saw both; the server sent them 'both' %d times, the client"
            + " was delivered it %d times, Smack handled their pushes out of the delivered order"
            + " %d times); Smack reordered pushes for %d of %d users;"
            + " %d sessions where the delivery check failed", getClass().getSimpleName(),
        runs.size(), missed, short_.size(), short_.stream().filter(s -> !s.sawBoth()).count(),
        short_.stream().filter(Side::serverSentBoth).count(),
        short_.stream().filter(Side::deliveredBoth).count(),
        short_.stream().filter(Side::smackReordered).count(),
        sides.stream().filter(Side::smackReordered).count(), sides.size(), diverged);
    LOG.info(summary);
    StringBuilder out = new StringBuilder(summary).append("\n\n");
    for (Run run : runs) {
      out.append(line(run)).append('\n').append(run.detail()).append('\n');
    }
    Path dir = Path.of("target", "smack-roster");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(getClass().getSimpleName() + ".txt"), out,
        StandardCharsets.UTF_8);
  }

  /** True when {@code command} is an executable on the PATH. */
  static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
