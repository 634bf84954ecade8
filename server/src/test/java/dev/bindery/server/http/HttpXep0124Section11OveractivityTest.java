package dev.bindery.server.http;

import static dev.bindery.server.http.ScriptedBindery.PATIENCE;
import static dev.bindery.server.http.ScriptedBindery.poll;
import static dev.bindery.server.http.ScriptedBindery.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.server.BoshHttpClient.Reply;
import dev.bindery.server.http.ScriptedBindery.Session;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * XEP-0124 v1.11.2 §11 "Overactivity" (https://xmpp.org/extensions/xep-0124.html#overactive),
 * over real HTTP. Sessions have {@code hold='1'}, so {@code requests='2'}, and
 * {@code polling='2'}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpXep0124Section11OveractivityTest {

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
   * "If during any period the client sends a sequence of new requests (i.e. requests with
   * incremented rid attributes, not repeat requests) longer than the number specified by the
   * 'requests' attribute, and if the connection manager has not yet responded to any of the
   * requests, and if the last request did not include either a 'pause' attribute or a 'type'
   * attribute set to "terminate", then the connection manager SHOULD consider that the client is
   * making too many simultaneous requests, and terminate the HTTP session with a
   * 'policy-violation' terminal binding error to the client."
   *
   * Three requests are outstanding, none answered: rid+1 is held, rid+3 waits for rid+2.
   */
  @Test
  void threeSimultaneousRequestsArePolicyViolation() throws Exception {
    Session s = cm.open(1000);
    CompletableFuture<Reply> first = cm.client.postAsync(request(s.sid(), 1001, "",
        "<message to='juliet@localhost' id='one'/>"));
    arrivals.await(s.sid(), 1001);
    CompletableFuture<Reply> third = cm.client.postAsync(request(s.sid(), 1003, "",
        "<message to='juliet@localhost' id='three'/>"));
    arrivals.await(s.sid(), 1003);

    Body second = cm.client.post(request(s.sid(), 1002, "",
        "<message to='juliet@localhost' id='two'/>")).body();

    assertThat(second.isTerminate()).isTrue();
    assertThat(second.condition()).contains(BindingCondition.POLICY_VIOLATION);
    // the other requests did nothing wrong themselves (§17.2 other-request)
    for (CompletableFuture<Reply> other : List.of(first, third)) {
      Body body = other.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body();
      assertThat(body.isTerminate()).isTrue();
      assertThat(body.condition()).contains(BindingCondition.OTHER_REQUEST);
    }
    cm.awaitGone(s.sid()); // the answer goes out just before the session is forgotten
    assertThat(s.upstream().awaitReceived("</stream:stream>")).doesNotContain("id=\"two\"")
        .doesNotContain("id=\"three\"");
  }

  /*
   * "If during any period the client sends a sequence of new requests equal in length to the
   * number specified by the 'requests' attribute, and if the connection manager has not yet
   * responded to any of the requests, and if the last request was empty and did not include
   * either a 'pause' attribute or a 'type' attribute set to "terminate", and if the last two
   * requests arrived within a period shorter than the number of seconds specified by the
   * 'polling' attribute in the session creation response, then the connection manager SHOULD
   * consider that the client is making requests more frequently than it was permitted and
   * terminate the HTTP session and return a 'policy-violation' terminal binding error to the
   * client."
   */
  @Test
  void emptyRequestsFasterThanPollingArePolicyViolation() throws Exception {
    Session s = cm.open(2000);
    CompletableFuture<Reply> first = cm.client.postAsync(poll(s.sid(), 2001));
    arrivals.await(s.sid(), 2001);

    Body second = cm.client.post(poll(s.sid(), 2002)).body();

    assertThat(second.isTerminate()).isTrue();
    assertThat(second.condition()).contains(BindingCondition.POLICY_VIOLATION);
    Body firstBody = first.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body();
    assertThat(firstBody.condition()).contains(BindingCondition.OTHER_REQUEST);
    cm.awaitGone(s.sid()); // the answer goes out just before the session is forgotten
  }

  /*
   * "However the client MAY make one additional request if it is to pause or terminate a
   * session." The third outstanding request terminates: an orderly end, no policy-violation.
   */
  @Test
  void oneExtraRequestMayTerminate() throws Exception {
    Session s = cm.open(3000);
    CompletableFuture<Reply> first = cm.client.postAsync(request(s.sid(), 3001, "",
        "<message to='juliet@localhost' id='one'/>"));
    arrivals.await(s.sid(), 3001);
    CompletableFuture<Reply> third = cm.client.postAsync(request(s.sid(), 3003, "",
        "<message to='juliet@localhost' id='three'/>"));
    arrivals.await(s.sid(), 3003);

    Body terminate = cm.client.post(request(s.sid(), 3002, "type='terminate'",
        "<presence type='unavailable'/>")).body();

    // §13: the terminate request gets an empty body, the oldest one acknowledges the end
    assertThat(terminate).isEqualTo(Body.empty());
    Body oldest = first.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body();
    assertThat(oldest.isTerminate()).isTrue();
    assertThat(oldest.condition()).isEmpty();
    assertThat(third.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).status()).isEqualTo(200);
    assertThat(s.upstream().awaitReceived("</stream:stream>")).contains("unavailable");
  }
}
