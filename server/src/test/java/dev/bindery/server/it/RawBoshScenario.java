package dev.bindery.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.protocol.testing.XmlTree;
import dev.bindery.protocol.xmpp.Stanza;
import dev.bindery.server.it.RawBoshSession.Exchange;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * XEP-0124 features no Smack client uses, over raw HTTP through Bindery to a real XMPP server:
 * acknowledgements (§9), a session pause (§10) and several streams in one session (§16). The
 * users log in with SASL PLAIN, restart and bind (XEP-0206) by hand.
 *
 * <p>A subclass starts the XMPP server and Bindery in front of it, in {@link #start}. The
 * servers are started once per class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a guard against hangs
abstract class RawBoshScenario {

  static final String DOMAIN = ChatScenario.DOMAIN;
  static final String ADMIN = ChatScenario.ADMIN;
  static final String ADMIN_PASSWORD = ChatScenario.ADMIN_PASSWORD;
  static final String MYSELF = ChatScenario.MYSELF;
  static final String MYSELF_PASSWORD = ChatScenario.MYSELF_PASSWORD;

  private final Closer closer = new Closer();
  private URI endpoint;
  private String domain;

  /**
   * Starts the XMPP server and Bindery, each registered with {@code closer} at once, and returns
   * the XMPP server and Bindery's endpoint.
   */
  protected abstract ChatScenario.Target start(Closer closer) throws Exception;

  @BeforeAll
  final void startServers() throws Exception {
    ChatScenario.Target target = start(closer);
    target.server().register(ADMIN, ADMIN_PASSWORD);
    target.server().register(MYSELF, MYSELF_PASSWORD);
    endpoint = target.boshUrl();
    domain = target.server().domain();
  }

  @AfterAll
  final void stopServers() throws Exception {
    closer.close();
  }

  /*
   * §9.2: "If the client sets the 'ack' attribute of its session creation request to '1' [...]
   * the connection manager [...] MUST include an 'ack' attribute in the session creation
   * response [...]" and "SHOULD NOT include an 'ack' attribute in any response if the value
   * would be the 'rid' of the request being responded to." A held request released by the next
   * one is answered with an ack of that newer rid.
   */
  @Test
  void acknowledgedSessionLogsInAndChats() throws Exception {
    RawBoshSession admin = RawBoshSession.create(endpoint, domain, "ack='1'");
    assertThat(admin.created().attribute(BodyAttribute.ACK))
        .contains(Long.toString(admin.firstRid()));
    String adminJid = admin.login(null, ADMIN, ADMIN_PASSWORD, "acked");
    RawBoshSession myself = RawBoshSession.create(endpoint, domain, "");
    String myselfJid = myself.login(null, MYSELF, MYSELF_PASSWORD, "plain");
    admin.send("", "<presence xmlns='jabber:client'/>");
    myself.send("", "<presence xmlns='jabber:client'/>");

    // Whether the held request is answered by the server's news or released by the newer
    // request depends on the server; one release carrying the newer rid as ack is required.
    List<Exchange> misses = new ArrayList<>();
    boolean released = false;
    for (int attempt = 0; attempt < 3 && !released; attempt++) {
      CompletableFuture<Exchange> held = admin.sendAsync("", "");
      Body sent = admin.send("", chat(myselfJid, "ack-" + attempt));
      assertThat(sent.isTerminate()).as("answer to the message: %s", sent).isFalse();
      Exchange answered = held.get(30, TimeUnit.SECONDS);
      String expected = Long.toString(answered.rid() + 1);
      if (answered.body().payloads().isEmpty()
          && answered.body().attribute(BodyAttribute.ACK).filter(expected::equals).isPresent()) {
        released = true;
      } else {
        misses.add(answered);
      }
    }
    assertThat(released).as("a held request released by a newer one, with ack of its rid;"
        + " not so: %s", misses).isTrue();
    assertThat(bodyText(myself.await(null, message("ack-0")))).isEqualTo("ack-0");
    myself.send("", chat(adminJid, "back to you"));
    assertThat(bodyText(admin.await(null, message("back to you")))).isEqualTo("back to you");

    for (Exchange e : admin.exchanges()) {
      e.body().attribute(BodyAttribute.ACK).ifPresent(ack -> {
        if (e.rid() != admin.firstRid()) {
          assertThat(Long.parseLong(ack)).as("ack of %s", e.rid()).isGreaterThan(e.rid());
        }
      });
    }
    terminate(admin);
    terminate(myself);
  }

  /*
   * §10: "[...] the client MAY request a temporary increase to the maximum inactivity period by
   * including a 'pause' attribute in a request." / "The connection manager SHOULD set the maximum
   * inactivity period back to normal upon reception of the next request from the client". What
   * the server sent meanwhile waits for the client.
   */
  @Test
  void pausedSessionResumesAndCollectsWhatCameMeanwhile() throws Exception {
    RawBoshSession admin = RawBoshSession.create(endpoint, domain, "");
    String adminJid = admin.login(null, ADMIN, ADMIN_PASSWORD, "pausing");
    admin.send("", "<presence xmlns='jabber:client'/>");
    RawBoshSession myself = RawBoshSession.create(endpoint, domain, "");
    myself.login(null, MYSELF, MYSELF_PASSWORD, "sender");
    int maxpause = Integer.parseInt(admin.created().attribute(BodyAttribute.MAXPAUSE)
        .orElseThrow());

    Body paused = admin.send("pause='" + Math.min(maxpause, 60) + "'", "");
    assertThat(paused.payloads()).isEmpty();
    assertThat(paused.isTerminate()).isFalse();

    myself.send("", chat(adminJid, "while you were away"));

    // the next request ends the pause: the same session, with the message
    Stanza collected = admin.await(null, message("while you were away"));
    assertThat(bodyText(collected)).isEqualTo("while you were away");
    assertThat(admin.exchanges()).extracting(Exchange::body)
        .noneMatch(Body::isTerminate);
    terminate(admin);
    terminate(myself);
  }

  /*
   * §16: "If the connection manager included a 'stream' attribute in its session creation
   * response then the client MAY ask it to open another stream at any time [...]" / "If more
   * than one stream is open within a session, then the connection manager MUST include a
   * 'stream' attribute in all its non-empty response <body/> elements." / "A client MAY close
   * one of the streams within a session by sending a <body/> element with a 'type' attribute set
   * to "terminate" and a 'stream' attribute [...]"
   */
  @Test
  void twoUsersChatOverTwoStreamsOfOneSession() throws Exception {
    RawBoshSession session = RawBoshSession.create(endpoint, domain, "");
    String first = session.created().attribute(BodyAttribute.STREAM).orElseThrow();
    String adminJid = session.login(null, ADMIN, ADMIN_PASSWORD, "first-stream");
    int before = session.exchanges().size();

    Body added = session.send("to='" + domain + "' xml:lang='en' xmpp:version='1.0'", "");
    String second = added.attribute(BodyAttribute.STREAM).orElseThrow();
    assertThat(second).isNotEqualTo(first);
    String myselfJid = session.login(second, MYSELF, MYSELF_PASSWORD, "second-stream");
    session.send("stream='" + first + "'", "<presence xmlns='jabber:client'/>");
    session.send("stream='" + second + "'", "<presence xmlns='jabber:client'/>");

    session.send("stream='" + first + "'", chat(myselfJid, "from the first stream"));
    assertThat(bodyText(session.await(second, message("from the first stream"))))
        .isEqualTo("from the first stream");
    session.send("stream='" + second + "'", chat(adminJid, "from the second stream"));
    assertThat(bodyText(session.await(first, message("from the second stream"))))
        .isEqualTo("from the second stream");

    Body closed = session.send("type='terminate' stream='" + second + "'",
        "<presence xmlns='jabber:client' type='unavailable'/>");
    assertThat(closed.isTerminate()).isTrue();
    assertThat(closed.condition()).isEmpty();
    assertThat(closed.attribute(BodyAttribute.STREAM)).contains(second);

    // the first stream goes on: its own roster
    session.send("stream='" + first + "'", "<iq xmlns='jabber:client' type='get' id='roster-1'>"
        + "<query xmlns='jabber:iq:roster'/></iq>");
    Stanza roster = session.await(first, st -> st.localName().equals("iq")
        && st.xml().contains("roster-1"));
    assertThat(XmlTree.parse(roster.xml()).attribute("type")).isEqualTo("result");

    List<Exchange> withTwoStreams = session.exchanges().subList(before, session.exchanges().size());
    assertThat(nonEmpty(withTwoStreams)).isNotEmpty()
        .allSatisfy(b -> assertThat(b.attribute(BodyAttribute.STREAM)).isPresent());
    terminate(session);
  }

  private static void terminate(RawBoshSession session) throws Exception {
    Body end = session.send("type='terminate'", "<presence xmlns='jabber:client'"
        + " type='unavailable'/>");
    assertThat(end.isTerminate()).isTrue();
    assertThat(end.condition()).isEmpty();
  }

  static String chat(String to, String text) {
    return "<message xmlns='jabber:client' type='chat' to='" + to + "'><body>" + text
        + "</body></message>";
  }

  static Predicate<Stanza> message(String text) {
    return s -> s.localName().equals("message") && s.xml().contains(text);
  }

  /** The text of a message's {@code <body/>}, read as a parsed value. */
  static String bodyText(Stanza message) {
    return XmlTree.parse(message.xml()).elements().stream()
        .filter(e -> e.name().getLocalPart().equals("body")).findFirst()
        .orElseThrow(() -> new AssertionError("no body in " + message.xml())).text();
  }

  static List<Body> nonEmpty(List<Exchange> exchanges) {
    return exchanges.stream().map(Exchange::body).filter(b -> !b.payloads().isEmpty()).toList();
  }
}
