package dev.bindery.protocol.session;

import static dev.bindery.protocol.session.Driver.RID;
import static dev.bindery.protocol.session.Driver.T0;
import static dev.bindery.protocol.session.Driver.creation;
import static dev.bindery.protocol.session.Driver.message;
import static dev.bindery.protocol.session.Driver.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.protocol.session.Action.Cancel;
import dev.bindery.protocol.session.Action.Respond;
import dev.bindery.protocol.session.Action.Schedule;
import dev.bindery.protocol.session.Event.TimerFired;
import dev.bindery.protocol.session.Event.UpstreamReceived;
import dev.bindery.protocol.xmpp.Stanza;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * XEP-0124 v1.11.2 §9 "Acknowledgements" (https://xmpp.org/extensions/xep-0124.html#ack).
 */
class Xep0124Section9AcknowledgementsTest {

  private static final Stanza HELLO = message("hello");

  private static Driver withAcks() {
    return Driver.open(creation().attribute(BodyAttribute.ACK, "1").build(), SessionLimits.DEFAULTS);
  }

  /*
   * "The connection manager MAY set the 'ack' attribute of any response to the value of the
   * highest 'rid' attribute it has received in the case where it has also received all requests
   * with lower 'rid' values."
   */
  @Test
  void responseToAnOlderRequestAcknowledgesTheNewestRid() {
    Driver d = withAcks();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    List<Action> actions = d.arrive(3, request(RID + 2).build(), T0 + 2_200); // §11: not too fast

    assertThat(actions).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new Schedule(new Timer.Wait(3), T0 + 2_200 + 60_000),
        new Cancel(new Timer.Wait(2)),
        new Respond(2, Body.builder().attribute(BodyAttribute.ACK, RID + 2).build()));
  }

  /*
   * "The only exception is that, after its session creation response, the connection manager
   * SHOULD NOT include an 'ack' attribute in any response if the value would be the 'rid' of the
   * request being responded to."
   */
  @Test
  void noAckWhenItWouldBeTheRidAnswered() {
    Driver d = withAcks();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    List<Action> actions = d.on(new UpstreamReceived(List.of(HELLO), T0 + 200));

    assertThat(actions).containsExactly(
        new Cancel(new Timer.Wait(2)),
        new Respond(2, Body.builder().payload(HELLO).build()),
        new Schedule(Timer.INACTIVITY, T0 + 200 + 60_000));
  }

  /* "[...] and set the 'ack' attribute of responses throughout the session." */
  @Test
  void ackFollowsTheSessionAlong() {
    Driver d = withAcks();
    d.arrive(2, request(RID + 1).build(), T0 + 100);
    d.arrive(3, request(RID + 2).build(), T0 + 2_200);

    List<Action> actions = d.arrive(4, request(RID + 3).build(), T0 + 4_300);

    assertThat(actions).contains(
        new Respond(3, Body.builder().attribute(BodyAttribute.ACK, RID + 3).build()));
    assertThat(d.on(new TimerFired(new Timer.Wait(4), T0 + 4_300 + 60_000)))
        .contains(new Respond(4, Body.empty()));
  }

  /*
   * "If the connection manager will be including 'ack' attributes on responses during a session,
   * then it MUST include an 'ack' attribute in its session creation response". This one only
   * acknowledges for clients that asked with ack='1' (§7.1), so without it no response has one.
   */
  @Test
  void noAcksForAClientThatDidNotAsk() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    List<Action> actions = d.arrive(3, request(RID + 2).build(), T0 + 2_200);

    assertThat(actions).contains(new Respond(2, Body.empty()));
  }

  /*
   * "After receiving a request with an 'ack' value less than the 'rid' of the last request that
   * it has already responded to, the connection manager MAY inform the client of the situation by
   * sending its next response immediately [...]. In this case it SHOULD include a 'report'
   * attribute set to one greater than the 'ack' attribute it received from the client, and a
   * 'time' attribute set to the number of milliseconds since it sent the response associated with
   * the 'report' attribute."
   */
  @Test
  void lowClientAckIsAnsweredAtOnceWithReportAndTime() {
    Driver d = withAcks();
    d.arrive(2, request(RID + 1).build(), T0 + 100);
    d.on(new UpstreamReceived(List.of(HELLO), T0 + 200)); // answers RID + 1
    // the client says it has only seen the creation response
    List<Action> actions = d.arrive(3,
        request(RID + 2).attribute(BodyAttribute.ACK, RID).build(), T0 + 1_200);

    assertThat(actions).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new Schedule(new Timer.Wait(3), T0 + 1_200 + 60_000),
        new Cancel(new Timer.Wait(3)),
        new Respond(3, Body.builder()
            .attribute(BodyAttribute.REPORT, RID + 1)
            .attribute(BodyAttribute.TIME, 1_000)
            .build()),
        new Schedule(Timer.INACTIVITY, T0 + 1_200 + 60_000));
  }

  /* "[...] (e.g., if some time has passed since it responded)": a fresh response may still be on its way. */
  @Test
  void lowClientAckSoonAfterTheResponseIsNotReported() {
    Driver d = withAcks();
    d.arrive(2, request(RID + 1).build(), T0 + 100);
    d.on(new UpstreamReceived(List.of(HELLO), T0 + 200));

    List<Action> actions = d.arrive(3,
        request(RID + 2).attribute(BodyAttribute.ACK, RID).build(), T0 + 1_199);

    assertThat(actions).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new Schedule(new Timer.Wait(3), T0 + 1_199 + 60_000));
  }

  /* The report is made once: the next request with the same low ack is held as usual. */
  @Test
  void reportIsSentOnce() {
    Driver d = withAcks();
    d.arrive(2, request(RID + 1).build(), T0 + 100);
    d.on(new UpstreamReceived(List.of(HELLO), T0 + 200));
    d.arrive(3, request(RID + 2).attribute(BodyAttribute.ACK, RID).build(), T0 + 1_200);

    // the client resends RID + 1, gets it, and acknowledges everything
    assertThat(d.arrive(4, request(RID + 1).build(), T0 + 1_300))
        .containsExactly(new Respond(4, Body.builder().payload(HELLO).build()));
    assertThat(d.arrive(5, request(RID + 3).build(), T0 + 1_400)).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new Schedule(new Timer.Wait(5), T0 + 1_400 + 60_000));
  }

  /* A client that does not use acks never gets a report. */
  @Test
  void noReportWithoutAcks() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);
    d.on(new UpstreamReceived(List.of(HELLO), T0 + 200));

    List<Action> actions = d.arrive(3,
        request(RID + 2).attribute(BodyAttribute.ACK, RID).build(), T0 + 5_000);

    assertThat(actions).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new Schedule(new Timer.Wait(3), T0 + 5_000 + 60_000));
  }

  /*
   * "The client MAY similarly inform the connection manager about the responses it has received
   * by setting the 'ack' attribute of any request to the value of the highest 'rid' of a request
   * for which it has already received a response". §14.3: the buffer keeps "all the responses
   * that have not yet been acknowledged": an acknowledged one is gone.
   */
  @Test
  void clientAckForgetsTheAcknowledgedResponses() {
    Driver d = withAcks();
    d.arrive(2, request(RID + 1).build(), T0 + 100);
    d.on(new UpstreamReceived(List.of(HELLO), T0 + 200)); // answers RID + 1
    d.arrive(3, request(RID + 2).attribute(BodyAttribute.ACK, RID + 1).build(), T0 + 300);

    List<Action> actions = d.arrive(4, request(RID + 1).build(), T0 + 400);

    assertThat(actions).startsWith(
        new Respond(4, Body.builder().terminate(BindingCondition.ITEM_NOT_FOUND).build()));
  }

  /*
   * "[...] the client SHOULD NOT include an 'ack' attribute in any request if it has received
   * responses to all its previous requests": no 'ack' acknowledges everything before it.
   */
  @Test
  void noAckInARequestAcknowledgesEveryEarlierResponse() {
    Driver d = withAcks();
    d.arrive(2, request(RID + 1).build(), T0 + 100);
    d.on(new UpstreamReceived(List.of(HELLO), T0 + 200));
    d.arrive(3, request(RID + 2).build(), T0 + 300);

    assertThat(d.arrive(4, request(RID + 1).build(), T0 + 400)).startsWith(
        new Respond(4, Body.builder().terminate(BindingCondition.ITEM_NOT_FOUND).build()));
  }

  /* A response the client has not acknowledged can be sent again (§14.3). */
  @Test
  void unacknowledgedResponseIsResent() {
    Driver d = withAcks();
    d.arrive(2, request(RID + 1).build(), T0 + 100);
    d.on(new UpstreamReceived(List.of(HELLO), T0 + 200));
    d.arrive(3, request(RID + 2).attribute(BodyAttribute.ACK, RID).build(), T0 + 300);

    assertThat(d.arrive(4, request(RID + 1).build(), T0 + 400))
        .containsExactly(new Respond(4, Body.builder().payload(HELLO).build()));
  }

  /*
   * §14.3: "the connection manager SHOULD remember the 'rid' and the associated HTTP response
   * body of the client's most recent requests [...]. If the session uses acknowledgements then
   * the buffer size SHOULD be equal to the number of responses that have not yet been
   * acknowledged" — more than 'requests' ('2' here), up to maxUnacknowledged.
   */
  @Test
  void unacknowledgedResponsesAreKeptBeyondRequestsUpToTheLimit() {
    SessionLimits keepThree = new SessionLimits(60, 1, 60, 2, 5,
        SessionLimits.DEFAULT_POLLING_INACTIVITY, SessionLimits.DEFAULT_MAX_PAUSE,
        SessionLimits.DEFAULT_REPORT_AFTER_MILLIS, 3, "");
    Driver d = Driver.open(creation().attribute(BodyAttribute.ACK, "1").build(), keepThree);
    for (long i = 1; i <= 3; i++) {
      d.arrive(1 + i, request(RID + i).attribute(BodyAttribute.ACK, RID).build(), T0 + 100 * i);
      d.on(new UpstreamReceived(List.of(message("m" + i)), T0 + 100 * i + 50));
    }

    // RID + 1 .. RID + 3 are kept, though 'requests' is 2
    assertThat(d.arrive(10, request(RID + 1).build(), T0 + 500))
        .containsExactly(new Respond(10, Body.builder().payload(message("m1")).build()));

    d.arrive(5, request(RID + 4).attribute(BodyAttribute.ACK, RID).build(), T0 + 600);
    d.on(new UpstreamReceived(List.of(message("m4")), T0 + 650)); // evicts RID + 1
    assertThat(d.arrive(11, request(RID + 1).build(), T0 + 700)).startsWith(
        new Respond(11, Body.builder().terminate(BindingCondition.ITEM_NOT_FOUND).build()));
  }
}
