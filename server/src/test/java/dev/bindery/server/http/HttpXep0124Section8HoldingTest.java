package dev.bindery.server.http;

import static dev.bindery.server.http.ScriptedBindery.PATIENCE;
import static dev.bindery.server.http.ScriptedBindery.poll;
import static dev.bindery.server.http.ScriptedBindery.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.server.BoshHttpClient.Reply;
import dev.bindery.server.http.ScriptedBindery.Session;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * XEP-0124 v1.11.2 §8 "Sending and Receiving XML Payloads"
 * (https://xmpp.org/extensions/xep-0124.html#payloads), over real HTTP: how long requests are
 * held, and in which order they are answered. Every session has {@code hold='1'}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpXep0124Section8HoldingTest {

  private ScriptedBindery cm;
  private Arrivals arrivals;

  @BeforeAll
  void start() throws Exception {
    cm = ScriptedBindery.start();
    arrivals = new Arrivals();
  }

  @AfterAll
  void stop() throws Exception {
    arrivals.close();
    cm.close();
  }

  /*
   * "If the connection manager has received one or more payloads from the application server for
   * delivery to the client, then it SHOULD return the payloads in the body of its response as
   * soon as possible after receiving them from the server."
   */
  @Test
  void heldRequestIsAnsweredWhenTheServerSendsData() throws Exception {
    Session s = cm.open(1000);
    CompletableFuture<Reply> held = cm.client.postAsync(poll(s.sid(), 1001));
    arrivals.await(s.sid(), 1001);
    assertThat(held).isNotDone();

    s.upstream().send("<message from='juliet@localhost/balcony' id='news'><body>hi</body>"
        + "</message>");

    Body body = held.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body();
    assertThat(body.isTerminate()).isFalse();
    assertThat(body.payloads()).singleElement()
        .satisfies(m -> assertThat(m.xml()).contains("id=\"news\""));
  }

  /*
   * "[...] it SHOULD NOT keep more HTTP requests waiting at a time than the number specified in
   * the 'hold' attribute of the session creation request."
   */
  @Test
  void withHoldOneASecondRequestReleasesTheFirst() throws Exception {
    Session s = cm.open(2000);
    CompletableFuture<Reply> first = cm.client.postAsync(poll(s.sid(), 2001));
    arrivals.await(s.sid(), 2001);
    assertThat(first).isNotDone();

    // a payload, so that two requests in a row are not polling too fast (§11)
    CompletableFuture<Reply> second = cm.client.postAsync(request(s.sid(), 2002, "",
        "<message to='juliet@localhost' id='out'/>"));

    Body released = first.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body();
    assertThat(released).isEqualTo(Body.empty());
    s.upstream().awaitReceived("id=\"out\"");
    assertThat(second).isNotDone();
    s.upstream().send("<message id='in'/>");
    assertThat(second.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body().payloads())
        .singleElement().satisfies(m -> assertThat(m.xml()).contains("id=\"in\""));
  }

  /*
   * "In any case it MUST respond to requests in the order specified by their 'rid' attributes."
   * The newer request arrives first: it waits for the older one, which is then answered first,
   * empty, while the newer one is held for the server's data.
   */
  @Test
  void requestsArrivingOutOfOrderAreAnsweredInRidOrder() throws Exception {
    Session s = cm.open(3000);
    CompletableFuture<Reply> newer = cm.client.postAsync(request(s.sid(), 3002, "",
        "<message to='juliet@localhost' id='newer'/>"));
    arrivals.await(s.sid(), 3002);
    CompletableFuture<Reply> older = cm.client.postAsync(request(s.sid(), 3001, "",
        "<message to='juliet@localhost' id='older'/>"));

    assertThat(older.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body()).isEqualTo(Body.empty());
    String received = s.upstream().awaitReceived("id=\"newer\"");
    assertThat(received.indexOf("id=\"older\"")).isPositive()
        .isLessThan(received.indexOf("id=\"newer\""));
    assertThat(newer).isNotDone();

    s.upstream().send("<message id='reply'/>");
    assertThat(newer.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body().payloads())
        .singleElement().satisfies(m -> assertThat(m.xml()).contains("id=\"reply\""));
  }

  /*
   * "If there are no payloads waiting or ready to be delivered within the waiting period, then
   * the connection manager SHOULD include an empty <body/> element in the HTTP result".
   */
  @Test
  void requestGetsAnEmptyBodyWhenItsWaitRunsOut() throws Exception {
    Session s = cm.open(4000, "wait='2'");
    assertThat(s.created().attribute(BodyAttribute.WAIT)).contains("2");

    Reply reply = cm.client.postAsync(poll(s.sid(), 4001))
        .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.tree().attributes()).isEmpty();
    assertThat(reply.tree().children()).isEmpty();
    assertThat(cm.alive(s.sid())).isTrue();
  }
}
