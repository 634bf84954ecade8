package dev.bindery.server.it;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.bosh.BOSHConfiguration;
import org.jivesoftware.smack.bosh.XMPPBOSHConnection;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.iqrequest.IQRequestHandler;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.roster.RosterListener;
import org.jivesoftware.smack.roster.packet.RosterPacket;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.minidns.dnsname.DnsName;

/**
 * Thread-safe. One user logged in with Smack's BOSH transport (XEP-0206) through a given
 * endpoint, recording every message and presence it receives from the moment it connects.
 *
 * <p>Plain HTTP, no TLS, SASL PLAIN. The roster accepts every subscription request, so two
 * clients that {@link #subscribeTo} each other end up with mutual presence subscriptions.
 *
 * <p>Smack is a second BOSH client beside the project's own (bindery-client) on purpose: a
 * third-party client shows that Bindery works with the clients people use, which a client
 * written alongside the server cannot show. Tests that only need a BOSH session use
 * bindery-client.
 */
final class SmackBoshClient implements AutoCloseable {

  /** How long an await waits before it fails. */
  static final Duration AWAIT = Duration.ofSeconds(30);

  /** How long {@link #close()} waits for a clean disconnect before it cuts the connection. */
  static final Duration DISCONNECT_TIMEOUT = Duration.ofSeconds(10);

  static {
    // Smack 4.4 asserts that XmlPullParser.getNamespacePrefix() is never "", but Woodstox (on
    // this classpath, so Smack's StAX parser uses it) returns "" for a default namespace. A
    // presence with an extension Smack has no provider for (e.g. <delay xmlns='urn:xmpp:delay'/>
    // on a probe answer) then throws AssertionError in jbosh's receive thread, which dies: the
    // session stalls and the next send blocks forever. The failsafe argLine does the same
    // with -da; this covers runs outside Maven. It must run before Smack's classes initialize.
    SmackBoshClient.class.getClassLoader()
        .setPackageAssertionStatus("org.jivesoftware.smack", false);
    SmackShutdownNoise.installUncaughtHandler();
  }

  /** A received message, as the test compares it. */
  record Received(Jid from, Message.Type type, String body) {}

  /** A received presence. */
  record Seen(Jid from, Presence.Type type) {}

  private final String username;
  private final XMPPBOSHConnection connection;
  private final Roster roster;
  private final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
  private final List<Exception> connectionErrors = new CopyOnWriteArrayList<>();
  /** Guards {@link #presences}; signalled on every presence and roster change. */
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<Seen> presences = new ArrayList<>();
  /** Each roster push Smack's roster handled, in the order it handled them. */
  private final List<String> rosterPushes = new CopyOnWriteArrayList<>();
  private volatile boolean closedCleanly;

  private SmackBoshClient(String username, XMPPBOSHConnection connection) {
    this.username = username;
    this.connection = connection;
    this.roster = Roster.getInstanceFor(connection);
    roster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
    // XEP-0199 server pings. Without a handler Smack 4.4 answers with an error IQ that echoes
    // the request's child element as '<ping xmlns='urn:xmpp:ping'&lt;ping .../&gt;</ping>',
    // which is not well-formed, and the server drops the session.
    connection.registerIQRequestHandler(new AbstractIqRequestHandler(
        "ping", "urn:xmpp:ping", IQ.Type.get, IQRequestHandler.Mode.async) {
      @Override
      public IQ handleIQRequest(IQ ping) {
        return IQ.createResultIQ(ping);
      }
    });
    recordRosterPushes();
    connection.addSyncStanzaListener(
        stanza -> messages.add(received((Message) stanza)), StanzaTypeFilter.MESSAGE);
    connection.addSyncStanzaListener(
        stanza -> seen((Presence) stanza), StanzaTypeFilter.PRESENCE);
    roster.addRosterListener(new RosterListener() {
      @Override
      public void entriesAdded(Collection<Jid> addresses) {
        signal();
      }

      @Override
      public void entriesUpdated(Collection<Jid> addresses) {
        signal();
      }

      @Override
      public void entriesDeleted(Collection<Jid> addresses) {
        signal();
      }

      @Override
      public void presenceChanged(Presence presence) {
        signal();
      }
    });
    connection.addConnectionListener(new ConnectionListener() {
      @Override
      public void connectionClosed() {
        closedCleanly = true;
      }

      @Override
      public void connectionClosedOnError(Exception e) {
        connectionErrors.add(e);
      }
    });
  }

  /**
   * Puts a handler in front of the roster's own for roster pushes ({@code <iq type='set'><query
   * xmlns='jabber:iq:roster'/>}) that notes each push, then hands it on: a listener never sees
   * them, Smack gives an IQ request to its handler only.
   */
  private void recordRosterPushes() {
    IQRequestHandler[] rosters = new IQRequestHandler[1];
    rosters[0] = connection.registerIQRequestHandler(new AbstractIqRequestHandler(
        RosterPacket.ELEMENT, RosterPacket.NAMESPACE, IQ.Type.set, IQRequestHandler.Mode.sync) {
      @Override
      public IQ handleIQRequest(IQ push) {
        RosterPacket packet = (RosterPacket) push;
        for (RosterPacket.Item item : packet.getRosterItems()) {
          rosterPushes.add(item.getJid() + " " + item.getItemType()
              + (item.isSubscriptionPending() ? " ask=subscribe" : ""));
        }
        return rosters[0] == null ? IQ.createResultIQ(push) : rosters[0].handleIQRequest(push);
      }
    });
  }

  /**
   * Connects to {@code boshUrl} (e.g. {@code http://127.0.0.1:5280/http-bind}) and logs in as
   * {@code username@domain}.
   */
  static SmackBoshClient login(URI boshUrl, String domain, String username, String password)
      throws Exception {
    if (boshUrl.getRawPath() == null || boshUrl.getRawPath().isEmpty()) {
      throw new IllegalArgumentException("BOSH URL has no path: " + boshUrl);
    }
    BOSHConfiguration config = BOSHConfiguration.builder()
        .setUseHttps("https".equals(boshUrl.getScheme()))
        // Not setHost(CharSequence): it turns an IP literal into an InetAddress, whose
        // toString() "/127.0.0.1" then makes the endpoint http:///127.0.0.1:port/... .
        .setHost(DnsName.from(boshUrl.getHost()))
        .setPort(boshUrl.getPort())
        .setFile(boshUrl.getRawPath())
        .setXmppDomain(domain)
        .setUsernameAndPassword(username, password)
        .setSecurityMode(SecurityMode.disabled)
        .addEnabledSaslMechanism("PLAIN")
        .build();
    XMPPBOSHConnection connection = new XMPPBOSHConnection(config);
    connection.setReplyTimeout(AWAIT.toMillis());
    SmackBoshClient client = new SmackBoshClient(username, connection);
    try {
      connection.connect().login();
    } catch (Exception e) {
      client.close();
      throw e;
    }
    return client;
  }

  /** The full JID the server bound for this session. */
  EntityFullJid jid() {
    EntityFullJid jid = connection.getUser();
    if (jid == null) {
      throw new IllegalStateException(username + " is not logged in");
    }
    return jid;
  }

  /** Sends a {@code type='chat'} message. */
  void send(Jid to, String body) throws Exception {
    connection.sendStanza(connection.getStanzaFactory().buildMessageStanza()
        .to(to)
        .ofType(Message.Type.chat)
        .setBody(body)
        .build());
  }

  /** Takes the next received message, waiting up to {@link #AWAIT}. */
  Received awaitMessage() throws InterruptedException {
    Received message = messages.poll(AWAIT.toNanos(), TimeUnit.NANOSECONDS);
    if (message == null) {
      throw new AssertionError(username + " received no message within " + AWAIT);
    }
    return message;
  }

  /** Takes the next {@code count} received messages, waiting up to {@link #AWAIT} for each. */
  List<Received> awaitMessages(int count) throws InterruptedException {
    List<Received> received = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Received message = messages.poll(AWAIT.toNanos(), TimeUnit.NANOSECONDS);
      if (message == null) {
        throw new AssertionError(username + " received " + received.size() + " of " + count
            + " messages within " + AWAIT + "; the last: "
            + (received.isEmpty() ? "none" : received.get(received.size() - 1)));
      }
      received.add(message);
    }
    return received;
  }

  /** Adds {@code contact} to the roster and asks for a subscription to its presence. */
  void subscribeTo(BareJid contact) throws Exception {
    if (!roster.isLoaded()) {
      roster.reloadAndWait();
    }
    roster.createItemAndRequestSubscription(contact, contact.toString(), null);
  }

  /**
   * Waits up to {@link #AWAIT} until a presence of {@code type} from exactly {@code from} has
   * been received since this client connected; fails listing every presence seen otherwise.
   */
  void awaitPresence(Jid from, Presence.Type type) throws InterruptedException {
    awaitPresence(from, type, AWAIT);
  }

  /** {@link #awaitPresence(Jid, Presence.Type)}, waiting up to {@code wait}. */
  void awaitPresence(Jid from, Presence.Type type, Duration wait) throws InterruptedException {
    Seen wanted = new Seen(from, type);
    await(wait, () -> presences.contains(wanted),
        () -> "no " + wanted + "; saw " + presences);
  }

  /**
   * Waits up to {@link #AWAIT} until the roster has {@code contact} with a subscription both
   * ways and nothing pending, i.e. the server has pushed every roster change.
   */
  void awaitMutualSubscription(BareJid contact) throws InterruptedException {
    awaitMutualSubscription(contact, AWAIT);
  }

  /** {@link #awaitMutualSubscription(BareJid)}, waiting up to {@code wait}. */
  void awaitMutualSubscription(BareJid contact, Duration wait) throws InterruptedException {
    await(wait, () -> {
      RosterEntry entry = roster.getEntry(contact);
      return entry != null && entry.getType() == RosterPacket.ItemType.both
          && !entry.isSubscriptionPending();
    }, () -> "no mutual subscription with " + contact + "; roster entry: "
        + roster.getEntry(contact));
  }

  /**
   * Waits until the roster has shown a mutual subscription with {@code contact} at some moment:
   * its entry now, or a push Smack's roster handled. Smack 4.4 over BOSH may handle two pushes
   * that arrive close together in either order (jbosh hands each response over on its own
   * thread), so a stale push handled last can leave the entry short of {@code both}; see
   * docs/reliability.md, "The Smack roster push under ejabberd".
   */
  void awaitMutualSubscriptionSeen(BareJid contact) throws InterruptedException {
    String both = contact + " " + RosterPacket.ItemType.both;
    await(AWAIT, () -> {
      RosterEntry entry = roster.getEntry(contact);
      return entry != null && entry.getType() == RosterPacket.ItemType.both
          && !entry.isSubscriptionPending() || rosterPushes.contains(both);
    }, () -> "no mutual subscription with " + contact + "; roster entry: "
        + roster.getEntry(contact) + ", pushes handled: " + rosterPushes);
  }

  /** The roster's entry for {@code contact} as Smack prints it, or {@code "none"}. */
  String rosterEntry(BareJid contact) {
    RosterEntry entry = roster.getEntry(contact);
    return entry == null ? "none"
        : entry.getType() + (entry.isSubscriptionPending() ? " ask=subscribe" : "");
  }

  /** Each item of each roster push the roster handled, as {@code jid type [ask=subscribe]}. */
  List<String> rosterPushes() {
    return List.copyOf(rosterPushes);
  }

  private void await(Duration wait, BooleanSupplier done, Supplier<String> failure)
      throws InterruptedException {
    long left = wait.toNanos();
    lock.lock();
    try {
      while (!done.getAsBoolean()) {
        if (left <= 0) {
          throw new AssertionError(username + " waited " + wait + ": " + failure.get());
        }
        left = changed.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  private void signal() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Sends unavailable presence and terminates the BOSH session. */
  void disconnect() {
    connection.disconnect();
  }

  boolean isConnected() {
    return connection.isConnected();
  }

  /** True once the connection was closed by {@link #disconnect()}, not by an error. */
  boolean closedCleanly() {
    return closedCleanly;
  }

  /** Errors that closed the connection, if any. */
  List<Exception> connectionErrors() {
    return List.copyOf(connectionErrors);
  }

  /**
   * Disconnects if still connected. If that takes longer than {@link #DISCONNECT_TIMEOUT} (jbosh
   * blocks a send while the server holds all requests), the connection is cut and the failure
   * recorded in {@link #connectionErrors()}.
   */
  @Override
  public void close() {
    if (!connection.isConnected()) {
      return;
    }
    Thread disconnecting = new Thread(connection::disconnect, "disconnect-" + username);
    disconnecting.setDaemon(true);
    disconnecting.start();
    try {
      disconnecting.join(DISCONNECT_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (disconnecting.isAlive()) {
      connectionErrors.add(new IllegalStateException(
          username + " did not disconnect within " + DISCONNECT_TIMEOUT));
      connection.instantShutdown();
    }
  }

  private static Received received(Message message) {
    return new Received(message.getFrom(), message.getType(), message.getBody());
  }

  private void seen(Presence presence) {
    lock.lock();
    try {
      presences.add(new Seen(presence.getFrom(), presence.getType()));
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "smack-bosh[" + username + " " + connection.getUser() + "]";
  }
}
