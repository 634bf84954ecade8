package dev.bindery.server.http;

import static dev.bindery.server.http.ScriptedBindery.PATIENCE;
import static dev.bindery.server.http.ScriptedBindery.poll;
import static dev.bindery.server.http.ScriptedBindery.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.server.BoshHttpClient.Reply;
import dev.bindery.server.http.ScriptedBindery.Session;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * XEP-0124 v1.11.2 §14 "Request IDs" (https://xmpp.org/extensions/xep-0124.html#rids), over real
 * HTTP: resent requests and rids out of the window. Sessions have {@code requests='2'}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpXep0124Section14RequestIdsTest {

  private ScriptedBindery cm;

  @BeforeAll
  void start() throws Exception {
    cm = ScriptedBindery.start();
  }

  @AfterAll
  void stop() throws Exception {
    cm.close();
  }

  /*
   * §14.3: "If the connection manager receives a request with a 'rid' that it has already
   * received, it SHOULD return an HTTP 200 (OK) response that includes the buffered copy of the
   * original XML response to the client (i.e., a <body/> wrapper possessing appropriate
   * attributes and optionally containing one or more XML payloads)."
   */
  @Test
  void resentRidGetsTheSameResponseAgain() throws Exception {
    Session s = cm.open(1000);
    String request = request(s.sid(), 1001, "", "<message to='juliet@localhost' id='ask'/>");
    CompletableFuture<Reply> original = cm.client.postAsync(request);
    s.upstream().awaitReceived("id=\"ask\"");
    s.upstream().send("<message from='juliet@localhost/balcony' id='answer'>"
        + "<body>yes</body></message>");
    Reply first = original.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(first.body().payloads()).isNotEmpty();

    Reply again = cm.client.post(request);

    assertThat(again.status()).isEqualTo(200);
    assertThat(again.tree()).isEqualTo(first.tree());
    // the resent payload is not forwarded a second time
    String received = s.upstream().received();
    assertThat(received.indexOf("id=\"ask\"")).isEqualTo(received.lastIndexOf("id=\"ask\""));
    assertThat(cm.alive(s.sid())).isTrue();
  }

  /*
   * §14.2: "The size of the window is equal to the maximum number of simultaneous requests
   * allowed by the connection manager. If it receives a request with a 'rid' greater than the
   * values in the window, then the connection manager MUST terminate the session with an error"
   * ({@code item-not-found}).
   */
  @Test
  void ridBeyondTheWindowIsItemNotFound() throws Exception {
    Session s = cm.open(2000);

    Body body = cm.client.post(poll(s.sid(), 2005)).body();

    assertThat(body.isTerminate()).isTrue();
    assertThat(body.condition()).contains(BindingCondition.ITEM_NOT_FOUND);
    cm.awaitGone(s.sid()); // the answer goes out just before the session is forgotten
  }

  /*
   * §14.3: "If the original response is not available (e.g., it is no longer in the buffer),
   * then the connection manager MUST return an 'item-not-found' terminal binding error".
   * Without acknowledgements the buffer holds 'requests' (2) responses.
   */
  @Test
  void ridNoLongerBufferedIsItemNotFound() throws Exception {
    Session s = cm.open(3000);
    for (long rid = 3001; rid <= 3003; rid++) {
      CompletableFuture<Reply> r = cm.client.postAsync(request(s.sid(), rid, "",
          "<message to='juliet@localhost' id='m" + rid + "'/>"));
      s.upstream().awaitReceived("id=\"m" + rid + "\"");
      s.upstream().send("<message id='r" + rid + "'/>");
      assertThat(r.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body().payloads()).isNotEmpty();
    }

    Body body = cm.client.post(poll(s.sid(), 3001)).body();

    assertThat(body.isTerminate()).isTrue();
    assertThat(body.condition()).contains(BindingCondition.ITEM_NOT_FOUND);
  }
}
