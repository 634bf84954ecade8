package dev.bindery.server.http;

import static dev.bindery.server.http.ScriptedBindery.PATIENCE;
import static dev.bindery.server.http.ScriptedBindery.poll;
import static dev.bindery.server.http.ScriptedBindery.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
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
 * XEP-0124 v1.11.2 §10 "Inactivity" (https://xmpp.org/extensions/xep-0124.html#inactive), the
 * session pause, over real HTTP. The limits are short: {@code inactivity='2'},
 * {@code maxpause='6'}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpXep0124Section10PauseTest {

  private ScriptedBindery cm;
  private Arrivals arrivals;

  @BeforeAll
  void start() throws Exception {
    cm = ScriptedBindery.start(ScriptedBindery.FAST);
    arrivals = new Arrivals();
  }

  @AfterAll
  void stop() throws Exception {
    arrivals.close();
    cm.close();
  }

  /*
   * §7.2: "If the connection manager supports session pausing (see Inactivity) then it SHOULD
   * advertise that to the client by including a 'maxpause' attribute in the session creation
   * response element."
   */
  @Test
  void maxpauseIsAdvertisedInTheCreationResponse() throws Exception {
    Session s = cm.open(1000);

    assertThat(s.created().attribute(BodyAttribute.MAXPAUSE)).contains("6");
    assertThat(s.created().attribute(BodyAttribute.INACTIVITY)).contains("2");
  }

  /*
   * "Upon reception of a session pause request, if the requested period is not greater than the
   * maximum permitted time, then the connection manager SHOULD respond immediately to all pending
   * requests (including the pause request) [...]. Note: The response to the pause request MUST
   * NOT contain any payloads."
   */
  @Test
  void pauseRequestAnswersEveryPendingRequestAtOnce() throws Exception {
    Session s = cm.open(2000);
    CompletableFuture<Reply> held = cm.client.postAsync(poll(s.sid(), 2001));
    arrivals.await(s.sid(), 2001);
    assertThat(held).isNotDone();

    Reply pause = cm.client.post(request(s.sid(), 2002, "pause='6'", ""));

    assertThat(pause.body()).isEqualTo(Body.empty());
    assertThat(held.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body()).isEqualTo(Body.empty());
    assertThat(cm.alive(s.sid())).isTrue();
  }

  /*
   * "[...] and temporarily increase the maximum inactivity period to the requested time." A
   * session without a pause, opened after the pause began, ends by inactivity; the paused one
   * is still there afterwards, and its next request collects what the server sent meanwhile.
   */
  @Test
  void pausedSessionOutlivesItsInactivityPeriod() throws Exception {
    Session paused = cm.open(3000);
    assertThat(cm.client.post(request(paused.sid(), 3001, "pause='6'", "")).body())
        .isEqualTo(Body.empty());
    paused.upstream().send("<message from='juliet@localhost/balcony' id='during'/>");

    Session control = cm.open(4000);
    cm.awaitGone(control.sid()); // more than 'inactivity' has passed since the pause began

    assertThat(cm.alive(paused.sid())).isTrue();
    Body resumed = cm.client.post(poll(paused.sid(), 3002)).body();
    assertThat(resumed.isTerminate()).isFalse();
    assertThat(resumed.payloads()).singleElement()
        .satisfies(m -> assertThat(m.xml()).contains("id=\"during\""));
  }

  /*
   * "(If the client believes it is in danger of becoming disconnected indefinitely then it MAY
   * even request a temporary reduction of the maximum inactivity period by specifying a 'pause'
   * value less than the 'inactivity' value [...].)" When the pause runs out, the session is gone.
   */
  @Test
  void sessionEndsWhenItsPauseRunsOut() throws Exception {
    Session s = cm.open(5000);
    assertThat(cm.client.post(request(s.sid(), 5001, "pause='1'", "")).body())
        .isEqualTo(Body.empty());

    cm.awaitGone(s.sid());

    Body next = cm.client.post(poll(s.sid(), 5002)).body();
    assertThat(next.isTerminate()).isTrue();
    assertThat(next.condition()).contains(BindingCondition.ITEM_NOT_FOUND);
  }

  /*
   * "[...] if the requested period is not greater than the maximum permitted time [...]": a
   * longer pause is refused; Bindery ends the session with policy-violation.
   */
  @Test
  void pauseBeyondMaxpauseIsPolicyViolation() throws Exception {
    Session s = cm.open(6000);

    Body refused = cm.client.post(request(s.sid(), 6001, "pause='7'", "")).body();

    assertThat(refused.isTerminate()).isTrue();
    assertThat(refused.condition()).contains(BindingCondition.POLICY_VIOLATION);
    cm.awaitGone(s.sid()); // the answer goes out just before the session is forgotten
  }
}
