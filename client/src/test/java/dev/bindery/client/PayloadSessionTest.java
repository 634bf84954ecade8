package dev.bindery.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.client.ScriptedTransport.Post;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A session that carries the caller's payloads, against a scripted connection manager. */
class PayloadSessionTest {

  static final String CREATED = "sid='s1' wait='60' requests='2' hold='1' ver='1.6'";

  final ScriptedTransport cm = new ScriptedTransport();
  final List<XmlElement> received = new CopyOnWriteArrayList<>();
  final CompletableFuture<BoshException> closed = new CompletableFuture<>();
  final PayloadSession session = PayloadSession.create(cm, Runnable::run,
      BoshClientConfig.of("localhost", "unused", ""), new PayloadSession.Listener() {
        @Override
        public void onPayload(XmlElement payload) {
          received.add(payload);
        }

        @Override
        public void onClosed(BoshException cause) {
          closed.complete(cause);
        }
      });

  @Test
  void payloadsGoOutAsWrittenAndComeInInOrder() throws Exception {
    Post held = open();
    session.send("<enable xmlns='urn:xmpp:sm:3' resume='true'/>");

    Post sent = cm.next();
    assertThat(sent.payload().is("urn:xmpp:sm:3", "enable")).isTrue();
    assertThat(sent.payload().attribute("resume")).isEqualTo("true");
    sent.answerBody("", "<enabled xmlns='urn:xmpp:sm:3' id='x1' resume='true'/>"
        + "<r xmlns='urn:xmpp:sm:3'/>");
    held.answerEmpty();

    assertThat(received).extracting(XmlElement::name).containsExactly("features", "enabled", "r");
    assertThat(session.sid()).isEqualTo("s1");
  }

  @Test
  void theRestartRequestFollowsSaslSuccess() throws Exception {
    open();
    session.restart();

    XmlElement restart = cm.next().body();
    assertThat(restart.attribute(XmlElement.qualified(Xml.NS_XBOSH, "restart")))
        .isEqualTo("true");
    assertThat(restart.children()).isEmpty();
  }

  @Test
  void abandoningSendsNothingMoreAndReportsWhy() throws Exception {
    Post held = open();
    session.abandon();
    session.send("<presence xmlns='jabber:client'/>");

    assertThat(closed.getNow(null)).isNotNull()
        .extracting(BoshException::kind).isEqualTo(BoshException.Kind.TRANSPORT);
    held.answerEmpty();
    cm.assertNoMorePosts();
  }

  @Test
  void aTerminateRequestCarriesItsPayloadAndClosesCleanly() throws Exception {
    Post held = open();
    session.terminate("<presence xmlns='jabber:client' type='unavailable'/>");

    Post terminate = cm.next();
    assertThat(terminate.body().attribute("type")).isEqualTo("terminate");
    assertThat(terminate.payload().attribute("type")).isEqualTo("unavailable");
    terminate.answerBody("type='terminate'", "");
    held.answerEmpty();
    assertThat(closed).isCompletedWithValue(null);
  }

  @Test
  void tasksRunInOrderWithTheListenersCalls() throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    session.execute(() -> order.add("task"));
    open();

    assertThat(order).containsExactly("task");
    assertThat(received).hasSize(1);
  }

  /** Opens the session; the creation response carries stream features. Returns the held poll. */
  private Post open() throws Exception {
    session.open();
    cm.next().answerBody(CREATED, "<stream:features/>");
    return cm.next();
  }
}
