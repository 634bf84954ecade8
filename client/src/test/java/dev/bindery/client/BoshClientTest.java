package dev.bindery.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.client.ScriptedTransport.Post;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The XMPP login flow of XEP-0206 (v1.4), against a scripted connection manager. */
class BoshClientTest {

  static final String SID = "s1";
  static final String CREATED = "sid='" + SID + "' wait='60' requests='2' hold='1' polling='5'"
      + " inactivity='60' ver='1.6' from='localhost' xmpp:version='1.0'"
      + " xmlns:xmpp='urn:xmpp:xbosh'";
  static final String SASL_FEATURES = "<stream:features xmlns='jabber:client'>"
      + "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
      + "<mechanism>SCRAM-SHA-1</mechanism><mechanism>PLAIN</mechanism></mechanisms>"
      + "</stream:features>";
  static final String BIND_FEATURES = "<stream:features xmlns='jabber:client'>"
      + "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><required/></bind>"
      + "<session xmlns='urn:ietf:params:xml:ns:xmpp-session'><optional/></session>"
      + "</stream:features>";
  static final String BIND_RESULT = "<iq xmlns='jabber:client' type='result' id='bind_1'>"
      + "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>admin@localhost/r1</jid></bind>"
      + "</iq>";
  static final String SUCCESS = "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>";

  final ScriptedTransport cm = new ScriptedTransport();
  final List<ChatMessage> received = new CopyOnWriteArrayList<>();
  final BoshClient client = new BoshClient(cm, new SerialExecutor(Runnable::run),
      BoshClientConfig.of("localhost", "admin", "mypassword1"), received::add, 1000);

  @Test
  void featuresInTheCreationResponseLeadToPlainAuthRestartBindAndPresence() throws Exception {
    client.connect();
    cm.next().answerBody(CREATED, SASL_FEATURES);

    Post auth = cm.next();
    assertThat(auth.rid()).isEqualTo(1001);
    assertThat(auth.body().attribute("sid")).isEqualTo(SID);
    XmlElement authElement = auth.payload();
    assertThat(authElement.is(Xml.NS_SASL, "auth")).isTrue();
    assertThat(authElement.attribute("mechanism")).isEqualTo("PLAIN");
    assertThat(new String(Base64.getDecoder().decode(authElement.text()), StandardCharsets.UTF_8))
        .isEqualTo("\0admin\0mypassword1");
    auth.answerBody("", SUCCESS);

    // "Upon receiving the <success/> element, the client MUST then ask the connection manager to
    // restart the stream by sending a "restart request"" (§5)
    Post restart = cm.next();
    assertThat(restart.rid()).isEqualTo(1002);
    assertThat(restart.body().attribute(XmlElement.qualified(Xml.NS_XBOSH, "restart")))
        .isEqualTo("true");
    assertThat(restart.body().attribute("to")).isEqualTo("localhost");
    assertThat(restart.body().attribute(XmlElement.qualified(Xml.NS_XML, "lang"))).isEqualTo("en");
    assertThat(restart.body().children()).isEmpty();
    restart.answerBody("", BIND_FEATURES);

    Post bind = cm.next();
    XmlElement iq = bind.payload();
    assertThat(iq.is(Xml.NS_CLIENT, "iq")).isTrue();
    assertThat(iq.attribute("type")).isEqualTo("set");
    assertThat(iq.child(Xml.NS_BIND, "bind")).isNotNull();
    bind.answerBody("", BIND_RESULT);

    // The session feature is <optional/>: no session request, straight to presence.
    Post presence = cm.next();
    assertThat(presence.payload().is(Xml.NS_CLIENT, "presence")).isTrue();
    assertThat(presence.payload().attribute("type")).isNull();
    assertThat(client.online()).isCompletedWithValue("admin@localhost/r1");
  }

  @Test
  void featuresInALaterResponseArePolledFor() throws Exception {
    client.connect();
    cm.next().answerBody(CREATED, "");

    // "If no <stream:features/> element is included in the connection manager's session creation
    // response, then the client SHOULD send empty request elements until it receives a response
    // containing a <stream:features/> element." (§4)
    Post poll = cm.next();
    assertThat(poll.rid()).isEqualTo(1001);
    assertThat(poll.body().children()).isEmpty();
    poll.answerBody("", SASL_FEATURES);

    assertThat(cm.next().payload().is(Xml.NS_SASL, "auth")).isTrue();
  }

  @Test
  void aRequiredLegacySessionIsEstablishedBeforePresence() throws Exception {
    client.connect();
    cm.next().answerBody(CREATED, SASL_FEATURES);
    cm.next().answerBody("", SUCCESS);
    cm.next().answerBody("", "<stream:features xmlns='jabber:client'>"
        + "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>"
        + "<session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></stream:features>");
    cm.next().answerBody("", BIND_RESULT);

    Post session = cm.next();
    XmlElement iq = session.payload();
    assertThat(iq.child(Xml.NS_SESSION, "session")).isNotNull();
    assertThat(client.online()).isNotDone();
    session.answerBody("", "<iq xmlns='jabber:client' type='result' id='"
        + iq.attribute("id") + "'/>");

    assertThat(cm.next().payload().is(Xml.NS_CLIENT, "presence")).isTrue();
    assertThat(client.online()).isCompletedWithValue("admin@localhost/r1");
  }

  @Test
  void aSaslFailureTerminatesTheSessionAndReportsTheCondition() throws Exception {
    client.connect();
    cm.next().answerBody(CREATED, SASL_FEATURES);
    cm.next().answerBody("", "<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
        + "<not-authorized/><text>bad credentials</text></failure>");

    Post terminate = cm.next();
    assertThat(terminate.body().attribute("type")).isEqualTo("terminate");
    terminate.answerBody("type='terminate'", "");

    BoshException failure = failureOf(client);
    assertThat(failure.kind()).isEqualTo(BoshException.Kind.AUTHENTICATION);
    assertThat(failure.condition()).isEqualTo("not-authorized");
    assertThat(failure.getMessage()).contains("admin@localhost", "bad credentials");
  }

  @Test
  void aServerWithoutPlainIsReported() throws Exception {
    client.connect();
    cm.next().answerBody(CREATED, "<stream:features><mechanisms "
        + "xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-1</mechanism>"
        + "</mechanisms></stream:features>");
    cm.next().answerBody("type='terminate'", "");

    assertThat(failureOf(client).getMessage()).contains("PLAIN", "SCRAM-SHA-1");
  }

  @Test
  void receivedMessagesReachTheListenerUnescaped() throws Exception {
    Post presence = logIn();
    presence.answerBody("", "<message xmlns='jabber:client' type='chat' from='myself@localhost/x'"
        + " to='admin@localhost/r1'><body>a &lt; b &amp; &apos;c&apos;</body></message>"
        + "<message xmlns='jabber:client' from='myself@localhost/x'><composing "
        + "xmlns='http://jabber.org/protocol/chatstates'/></message>");

    assertThat(received).containsExactly(new ChatMessage("myself@localhost/x",
        "admin@localhost/r1", "chat", "a < b & 'c'"));
  }

  @Test
  void stanzasInTheBodyNamespaceAreAcceptedToo() throws Exception {
    Post presence = logIn();
    presence.answerBody("", "<message from='myself@localhost/x'><body>hi</body></message>");

    assertThat(received).extracting(ChatMessage::body).containsExactly("hi");
  }

  @Test
  void sentMessagesAreChatMessagesWithEscapedText() throws Exception {
    Post presence = logIn();
    presence.answerEmpty();
    Post held = cm.next();

    client.sendMessage("myself@localhost", "1 < 2 & \"3\"").get();

    XmlElement message = cm.next().payload();
    assertThat(message.is(Xml.NS_CLIENT, "message")).isTrue();
    assertThat(message.attribute("type")).isEqualTo("chat");
    assertThat(message.attribute("to")).isEqualTo("myself@localhost");
    assertThat(message.childText(Xml.NS_CLIENT, "body")).isEqualTo("1 < 2 & \"3\"");
    assertThat(held.response()).isNotDone();
  }

  @Test
  void anIqTheClientDoesNotHandleGetsServiceUnavailable() throws Exception {
    Post presence = logIn();
    presence.answerBody("", "<iq xmlns='jabber:client' type='get' id='p1' from='localhost'>"
        + "<query xmlns='jabber:iq:version'/></iq>");

    XmlElement reply = cm.next().payload();
    assertThat(reply.attribute("type")).isEqualTo("error");
    assertThat(reply.attribute("id")).isEqualTo("p1");
    assertThat(reply.attribute("to")).isEqualTo("localhost");
    assertThat(reply.child(Xml.NS_CLIENT, "error").child(Xml.NS_STANZAS, "service-unavailable"))
        .isNotNull();
  }

  @Test
  void disconnectSendsUnavailablePresenceInTheTerminateRequest() throws Exception {
    Post presence = logIn();
    presence.answerEmpty();
    Post held = cm.next();

    client.disconnect();

    // "The client MAY gracefully terminate the session by sending a <body/> element with a 'type'
    // attribute set to "terminate". The termination request MAY include one or more payloads"
    // (XEP-0124 §13)
    Post terminate = cm.next();
    assertThat(terminate.body().attribute("type")).isEqualTo("terminate");
    assertThat(terminate.payload().is(Xml.NS_CLIENT, "presence")).isTrue();
    assertThat(terminate.payload().attribute("type")).isEqualTo("unavailable");
    held.answerBody("type='terminate'", "");
    terminate.answerEmpty();

    assertThat(client.closed()).isCompleted();
    assertThat(client.closed()).isNotCompletedExceptionally();
  }

  @Test
  void sendingBeforeOnlineFails() {
    assertThat(client.sendMessage("myself@localhost", "hi"))
        .isCompletedExceptionally();
  }

  /** Logs in and returns the request with the initial presence, unanswered. */
  private Post logIn() throws Exception {
    client.connect();
    cm.next().answerBody(CREATED, SASL_FEATURES);
    cm.next().answerBody("", SUCCESS);
    cm.next().answerBody("", BIND_FEATURES);
    cm.next().answerBody("", BIND_RESULT);
    Post presence = cm.next();
    assertThat(client.online()).isCompleted();
    return presence;
  }

  static BoshException failureOf(BoshClient client) throws InterruptedException {
    assertThat(client.closed()).isCompletedExceptionally();
    try {
      client.closed().get();
      throw new AssertionError("closed normally");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(BoshException.class);
      return (BoshException) e.getCause();
    }
  }
}
