package dev.bindery.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.client.ScriptedTransport.Post;
import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The BOSH half of the client against a scripted connection manager: XEP-0124 (v1.11.2) rules
 * for the window, rid order, retries and termination.
 */
class BoshConnectionTest {

  static final String CREATED = "sid='s1' wait='60' requests='2' hold='1' ver='1.6'";

  final ScriptedTransport cm = new ScriptedTransport();
  final List<String> payloads = new CopyOnWriteArrayList<>();
  final CompletableFuture<BoshException> closed = new CompletableFuture<>();
  final SerialExecutor executor = new SerialExecutor(Runnable::run);
  final BoshConnection connection = new BoshConnection(cm, executor,
      BoshClientConfig.of("localhost", "admin", "pw"), 5000, new BoshConnection.Handler() {
        @Override
        public void onPayload(XmlElement payload) {
          payloads.add(payload.attribute("id"));
        }

        @Override
        public void onClosed(BoshException cause) {
          closed.complete(cause);
        }
      });

  @Test
  void theCreationRequestCarriesTheXep0206Attributes() throws Exception {
    executor.execute(connection::open);

    XmlElement body = cm.next().body();
    assertThat(body.is(Xml.NS_HTTPBIND, "body")).isTrue();
    assertThat(body.attribute("rid")).isEqualTo("5000");
    assertThat(body.attribute("sid")).isNull();
    assertThat(body.attribute("to")).isEqualTo("localhost");
    assertThat(body.attribute("ver")).isEqualTo("1.11");
    assertThat(body.attribute("wait")).isEqualTo("60");
    assertThat(body.attribute("hold")).isEqualTo("1");
    assertThat(body.attribute(XmlElement.qualified(Xml.NS_XML, "lang"))).isEqualTo("en");
    assertThat(body.attribute(XmlElement.qualified(Xml.NS_XBOSH, "version"))).isEqualTo("1.0");
  }

  @Test
  void anEmptyRequestIsKeptHeldAfterCreation() throws Exception {
    Post held = open();

    assertThat(held.rid()).isEqualTo(5001);
    assertThat(held.body().children()).isEmpty();
    cm.assertNoMorePosts();
  }

  /**
   * "The client SHOULD NOT make more simultaneous requests than specified by the 'requests'
   * attribute in the connection manager's Session Creation Response." (§11)
   */
  @Test
  void payloadsWaitWhileRequestsAreInFlight() throws Exception {
    Post held = open();

    executor.execute(() -> connection.send(stanza("a")));
    executor.execute(() -> connection.send(stanza("b")));

    Post first = cm.next();
    assertThat(first.rid()).isEqualTo(5002);
    cm.assertNoMorePosts();
    held.answerEmpty();

    Post second = cm.next();
    assertThat(second.rid()).isEqualTo(5003);
    assertThat(second.payload().attribute("id")).isEqualTo("b");
  }

  @Test
  void queuedPayloadsGoOutTogether() throws Exception {
    Post held = open();
    executor.execute(() -> connection.send(stanza("a")));
    Post first = cm.next();
    executor.execute(() -> {
      connection.send(stanza("b"));
      connection.send(stanza("c"));
    });
    held.answerEmpty();

    assertThat(cm.next().body().children()).extracting(e -> e.attribute("id"))
        .containsExactly("b", "c");
    assertThat(first.response()).isNotDone();
  }

  /**
   * "The client MUST process responses received from the connection manager in the order the
   * requests were made." (§14.2)
   */
  @Test
  void responsesAreProcessedInRidOrder() throws Exception {
    Post held = open();
    executor.execute(() -> connection.send(stanza("out")));
    Post later = cm.next();

    later.answerBody("", stanza("second"));
    assertThat(payloads).isEmpty();
    held.answerBody("", stanza("first"));

    assertThat(payloads).containsExactly("first", "second");
  }

  /**
   * "If the network connection is broken or closed before the client receives a response to a
   * request from the connection manager, then the client MAY resend an exact copy of the original
   * request." (§14.3)
   */
  @Test
  void aBrokenExchangeIsResentAsAnExactCopy() throws Exception {
    Post held = open();

    held.fail(new IOException("connection reset"));

    Post again = cm.next();
    assertThat(again.xml()).isEqualTo(held.xml());
  }

  /**
   * "If it decides to recover from the error, then the client MUST repeat the HTTP request that
   * resulted in the error" (§17.3)
   */
  @Test
  void aRecoverableBindingErrorRepeatsTheRequest() throws Exception {
    Post held = open();

    held.answerBody("type='error'", "");

    assertThat(cm.next().xml()).isEqualTo(held.xml());
  }

  @Test
  void aRefusedCreationRequestFailsAtOnce() throws Exception {
    executor.execute(connection::open);

    cm.next().fail(new ConnectException());

    BoshException cause = closed.get();
    assertThat(cause.kind()).isEqualTo(BoshException.Kind.TRANSPORT);
    assertThat(cause.getMessage()).contains("connection refused");
    cm.assertNoMorePosts();
  }

  @Test
  void anHttpErrorStatusEndsTheSession() throws Exception {
    Post held = open();

    held.fail(new BoshException(BoshException.Kind.HTTP_STATUS, "404", "HTTP 404"));

    assertThat(closed.get().condition()).isEqualTo("404");
  }

  /**
   * "In any response it sends to the client, the connection manager MAY return a fatal error by
   * setting a 'type' attribute of the <body/> element to "terminate"." (§17.2)
   */
  @Test
  void aTerminalBindingConditionIsReported() throws Exception {
    executor.execute(connection::open);

    cm.next().answerBody("type='terminate' condition='host-unknown'", "");

    BoshException cause = closed.get();
    assertThat(cause.kind()).isEqualTo(BoshException.Kind.TERMINATED);
    assertThat(cause.condition()).isEqualTo("host-unknown");
    cm.assertNoMorePosts();
  }

  /** XEP-0206 §7: stanzas before the stream error are delivered, then the error is reported. */
  @Test
  void aRemoteStreamErrorDeliversEarlierStanzasAndNamesTheStreamError() throws Exception {
    Post held = open();

    held.answerBody("type='terminate' condition='remote-stream-error'", stanza("last")
        + "<stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
        + "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>Replaced by new connection</text>"
        + "</stream:error>");

    assertThat(payloads).containsExactly("last");
    BoshException cause = closed.get();
    assertThat(cause.condition()).isEqualTo("remote-stream-error");
    assertThat(cause.getMessage()).contains("conflict: Replaced by new connection");
  }

  /**
   * "However the client MAY make one additional request if it is to pause or terminate a
   * session." (§11)
   */
  @Test
  void theTerminateRequestMayExceedTheWindowAndEndsTheSessionCleanly() throws Exception {
    Post held = open();
    executor.execute(() -> connection.send(stanza("a")));
    Post second = cm.next();

    executor.execute(() -> connection.terminate(""));

    Post terminate = cm.next();
    assertThat(terminate.body().attribute("type")).isEqualTo("terminate");
    terminate.answerBody("type='terminate'", "");
    assertThat(closed).isNotDone();
    held.answerEmpty();
    second.answerEmpty();

    assertThat(closed.get()).isNull();
    cm.assertNoMorePosts();
  }

  /** ejabberd 23.01 answers the request it held when the terminate request came this way. */
  @Test
  void otherRequestOnAHeldRequestAfterOurTerminateIsAnOrderlyEnd() throws Exception {
    Post held = open();
    executor.execute(() -> connection.terminate(""));
    Post terminate = cm.next();

    held.answerBody("type='terminate' condition='other-request'", "");
    terminate.answerBody("type='terminate'", "");

    assertThat(closed.get()).isNull();
  }

  @Test
  void otherRequestWithoutATerminateOfOursIsAnError() throws Exception {
    Post held = open();

    held.answerBody("type='terminate' condition='other-request'", "");

    assertThat(closed.get().condition()).isEqualTo("other-request");
  }

  @Test
  void aTerminateRequestedDuringCreationIsSentOnceTheSessionExists() throws Exception {
    executor.execute(connection::open);
    Post creation = cm.next();
    executor.execute(() -> connection.terminate(""));
    cm.assertNoMorePosts();

    creation.answerBody(CREATED, "");

    Post terminate = cm.next();
    assertThat(terminate.body().attribute("type")).isEqualTo("terminate");
    terminate.answerEmpty();
    assertThat(closed.get()).isNull();
  }

  @Test
  void anUnexpectedTerminateWithoutConditionIsAnError() throws Exception {
    Post held = open();

    held.answerBody("type='terminate'", "");

    BoshException cause = closed.get();
    assertThat(cause).isNotNull();
    assertThat(cause.condition()).isNull();
  }

  @Test
  void aMalformedResponseEndsTheSession() throws Exception {
    Post held = open();

    held.answer("<body xmlns='http://jabber.org/protocol/httpbind'><unclosed></body>");

    assertThat(closed.get().kind()).isEqualTo(BoshException.Kind.PROTOCOL);
  }

  /** Opens the session and returns the empty request the client then keeps held. */
  private Post open() throws Exception {
    executor.execute(connection::open);
    cm.next().answerBody(CREATED, "");
    return cm.next();
  }

  private static String stanza(String id) {
    return "<message xmlns='jabber:client' id='" + id + "'/>";
  }
}
