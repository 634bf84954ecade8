package dev.bindery.server.http;

import static dev.bindery.server.BoshHttpClient.NS;
import static dev.bindery.server.http.ScriptedBindery.PATIENCE;
import static dev.bindery.server.http.ScriptedBindery.poll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.server.BoshHttpClient.Reply;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * XEP-0124 v1.11.2 §17.1 "Deprecated HTTP Conditions"
 * (https://xmpp.org/extensions/xep-0124.html#errorstatus-http), over real HTTP: a client whose
 * creation request has no {@code ver} is a legacy client.
 *
 * <p>"A legacy client (or connection manager) will interpret (or respond with) HTTP error codes
 * according to the table below. Non-legacy connection managers SHOULD NOT send HTTP error codes
 * unless they are communicating with a legacy client."
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpXep0124Section17LegacyStatusTest {

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
   * "404 | Not Found | item-not-found | Inform client that [...] (3) 'rid' is larger than the
   * upper limit of the expected window"
   */
  @Test
  void legacyClientGets404ForARidBeyondTheWindow() throws Exception {
    String sid = legacySession(1000);

    Reply reply = cm.client.post(poll(sid, 1005));

    assertThat(reply.status()).isEqualTo(404);
    cm.awaitGone(sid); // the answer goes out just before the session is forgotten
  }

  /*
   * "403 | Forbidden | policy-violation | Inform client that it has broken the session rules
   * (polling too frequently, requesting too frequently, too many simultaneous requests)."
   */
  @Test
  void legacyClientGets403ForPollingTooFrequently() throws Exception {
    String sid = legacySession(2000);
    CompletableFuture<Reply> first = cm.client.postAsync(poll(sid, 2001));
    arrivals.await(sid, 2001);

    Reply second = cm.client.post(poll(sid, 2002));

    assertThat(second.status()).isEqualTo(403);
    // the first request is answered too; other-request has no HTTP code, so it stays a body
    assertThat(first.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).status()).isIn(200, 403, 404);
    cm.awaitGone(sid); // the answer goes out just before the session is forgotten
  }

  /* The same session errors reach a client that sent 'ver' as bodies, with HTTP 200. */
  @Test
  void clientWithVerGets200ForARidBeyondTheWindow() throws Exception {
    String sid = cm.open(3000).sid();

    Reply reply = cm.client.post(poll(sid, 3005));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().attribute(BodyAttribute.CONDITION)).contains("item-not-found");
  }

  private String legacySession(long rid) throws Exception {
    Reply created = cm.client.post("<body rid='" + rid + "' to='localhost' wait='60' hold='1' "
        + NS + "/>");
    assertThat(created.status()).isEqualTo(200);
    return created.body().sid().orElseThrow();
  }
}
