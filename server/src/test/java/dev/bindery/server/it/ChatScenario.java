package dev.bindery.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.server.it.SmackBoshClient.Received;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jxmpp.jid.EntityFullJid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two users chat through a BOSH endpoint: {@code admin} and {@code myself} log in with Smack's
 * BOSH transport, exchange messages both ways, see each other's presence, and disconnect.
 *
 * <p>A subclass says what to run against: it starts an XMPP server, and whatever serves BOSH in
 * front of it, in {@link #start}. The servers are started once per class; each test logs both
 * users in afresh.
 *
 * <p>Smack consumes the bodies, so a {@link WireSchemaCheck} validates each one Bindery sends
 * against the XEP-0124 schema; after the class, all must have been valid, and a Bindery target
 * must have sent at least one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a guard against hangs
abstract class ChatScenario {

  private static final Logger LOG = LoggerFactory.getLogger(ChatScenario.class);

  static final String DOMAIN = "localhost";
  static final String ADMIN = "admin";
  static final String ADMIN_PASSWORD = "mypassword1";
  static final String MYSELF = "myself";
  static final String MYSELF_PASSWORD = "mypassword2";

  /** The 8 KiB body: ASCII, so 8192 characters are 8192 bytes. */
  static final int LARGE_BODY_BYTES = 8 * 1024;

  static final int BURST = 20;

  /**
   * What a test class runs against.
   *
   * @param server  the XMPP server where the users have their accounts
   * @param boshUrl the endpoint the users log in through
   */
  record Target(XmppServer server, URI boshUrl) {}

  private final Closer closer = new Closer();
  private WireSchemaCheck wireCheck;
  private Target target;
  private SmackBoshClient admin;
  private SmackBoshClient myself;

  /**
   * Starts the servers. Each goes to {@code closer} as soon as it runs, so that it is stopped
   * after the class even when a later step fails.
   */
  protected abstract Target start(Closer closer) throws Exception;

  /** Whether Bindery serves BOSH in this JVM, so that its bodies reach {@link WireSchemaCheck}. */
  protected boolean bodiesFromBindery() {
    return true;
  }

  @BeforeAll
  final void startServers() throws Exception {
    wireCheck = WireSchemaCheck.install();
    target = start(closer);
    target.server().register(ADMIN, ADMIN_PASSWORD);
    target.server().register(MYSELF, MYSELF_PASSWORD);
  }

  @AfterAll
  final void stopServers() throws Exception {
    try {
      closer.close();
    } finally {
      if (wireCheck != null) {
        wireCheck.close();
      }
    }
    LOG.info("{}: {} bodies valid against the XEP-0124 schema, {} invalid",
        getClass().getSimpleName(), wireCheck.validated(), wireCheck.invalid().size());
    assertThat(wireCheck.invalid()).as("bodies that fail the XEP-0124 schema").isEmpty();
    if (bodiesFromBindery()) {
      assertThat(wireCheck.validated()).as("bodies validated").isPositive();
    }
  }

  @BeforeEach
  final void logIn() throws Exception {
    admin = null;
    myself = null;
    String domain = target.server().domain();
    admin = SmackBoshClient.login(target.boshUrl(), domain, ADMIN, ADMIN_PASSWORD);
    myself = SmackBoshClient.login(target.boshUrl(), domain, MYSELF, MYSELF_PASSWORD);
  }

  /** Both disconnect; each connection must have closed cleanly, never on an error. */
  @AfterEach
  final void logOut() {
    List<SmackBoshClient> clients =
        Stream.of(admin, myself).filter(Objects::nonNull).toList();
    clients.forEach(SmackBoshClient::close);
    for (SmackBoshClient client : clients) {
      assertThat(client.connectionErrors()).as("%s connection errors", client).isEmpty();
      assertThat(client.isConnected()).as("%s connected", client).isFalse();
      assertThat(client.closedCleanly()).as("%s closed cleanly", client).isTrue();
    }
  }

  static Stream<Named<String>> bodies() {
    return Stream.of(
        Named.of("plain text", "Hello, myself. How are you today?"),
        Named.of("lines and tabs", "first line\nsecond line\n\tindented third"),
        // 😀, 👍 with a skin tone, 👩‍💻 (a ZWJ sequence), 🇫🇷 (regional indicators)
        Named.of("emoji", "\uD83D\uDE00 \uD83D\uDC4D\uD83C\uDFFD"
            + " \uD83D\uDC69\u200D\uD83D\uDCBB \uD83C\uDDEB\uD83C\uDDF7"),
        Named.of("non-Latin scripts", "Привет, κόσμε! こんにちは 你好 안녕하세요"
            + " مرحبا שלום"
            + " नमस्ते ሰላም 𠜎𠜱"),
        Named.of("combining marks", "e\u0301 n\u0303 a\u030A"),
        // Not "]]>": Smack 4.4 escapes neither '>' nor that sequence in text, so it would send
        // XML that is not well-formed (XML 1.0 §2.4) and the server would end the session.
        Named.of("XML special characters",
            "<b>bold</b> & &amp; a > b \"double\" 'single' <!-- c --> &#x41; &lt;"),
        Named.of("8 KiB", largeBody()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bodies")
  void bodyArrivesVerbatimBothWays(String body) throws Exception {
    admin.send(myself.jid(), body);
    myself.send(admin.jid(), body);

    assertThat(myself.awaitMessage()).isEqualTo(chat(admin, body));
    assertThat(admin.awaitMessage()).isEqualTo(chat(myself, body));
  }

  /**
   * Every message of a burst arrives exactly once. Not in order: jbosh hands each HTTP response
   * to Smack on the thread that waited for it, so two responses that arrive close together can
   * be delivered to the client in either order, whatever the connection manager did.
   */
  @Test
  void burstArrivesCompleteBothWays() throws Exception {
    List<Received> fromAdmin = new ArrayList<>();
    List<Received> fromMyself = new ArrayList<>();
    for (int i = 0; i < BURST; i++) {
      String toMyself = "admin to myself #" + i;
      String toAdmin = "myself to admin #" + i;
      admin.send(myself.jid(), toMyself);
      myself.send(admin.jid(), toAdmin);
      fromAdmin.add(chat(admin, toMyself));
      fromMyself.add(chat(myself, toAdmin));
    }

    assertThat(myself.awaitMessages(BURST)).containsExactlyInAnyOrderElementsOf(fromAdmin);
    assertThat(admin.awaitMessages(BURST)).containsExactlyInAnyOrderElementsOf(fromMyself);
  }

  @Test
  void subscribedContactsSeeEachOthersAvailablePresence() throws Exception {
    befriend();
  }

  @Test
  void contactSeesUnavailablePresenceAfterDisconnect() throws Exception {
    befriend();
    EntityFullJid leaving = myself.jid();

    myself.disconnect();

    admin.awaitPresence(leaving, Presence.Type.unavailable);
    assertThat(myself.isConnected()).isFalse();
    assertThat(myself.closedCleanly()).isTrue();
  }

  /**
   * Mutual presence subscription, then each must have the other's available presence from the
   * other's current session, and have seen the subscription in its roster (the entry may end
   * short of it when Smack handles two close pushes out of order: docs/reliability.md). Accounts persist for the
   * class, so a later test finds the subscription in place: then the server sends the presence
   * when the second user logs in.
   */
  private void befriend() throws Exception {
    admin.subscribeTo(myself.jid().asBareJid());
    myself.subscribeTo(admin.jid().asBareJid());

    myself.awaitPresence(admin.jid(), Presence.Type.available);
    admin.awaitPresence(myself.jid(), Presence.Type.available);
    admin.awaitMutualSubscriptionSeen(myself.jid().asBareJid());
    myself.awaitMutualSubscriptionSeen(admin.jid().asBareJid());
  }

  private static Received chat(SmackBoshClient from, String body) {
    return new Received(from.jid(), Message.Type.chat, body);
  }

  /** 8192 ASCII characters, numbered every 16 so that a lost or repeated chunk shows. */
  static String largeBody() {
    StringBuilder body = new StringBuilder(LARGE_BODY_BYTES);
    for (int i = 0; body.length() < LARGE_BODY_BYTES; i++) {
      body.append(String.format("[%06d]--------", i));
    }
    body.setLength(LARGE_BODY_BYTES);
    return body.toString();
  }
}
