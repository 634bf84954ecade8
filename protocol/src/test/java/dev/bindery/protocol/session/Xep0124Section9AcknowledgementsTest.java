package dev.bindery.protocol.session;

import static dev.bindery.protocol.session.Driver.RID;
import static dev.bindery.protocol.session.Driver.T0;
import static dev.bindery.protocol.session.Driver.creation;
import static dev.bindery.protocol.session.Driver.message;
import static dev.bindery.protocol.session.Driver.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.protocol.session.Action.Cancel;
import dev.bindery.protocol.session.Action.Respond;
import dev.bindery.protocol.session.Action.Schedule;
import dev.bindery.protocol.session.Event.TimerFired;
import dev.bindery.protocol.session.Event.UpstreamReceived;
import dev.bindery.protocol.xmpp.Stanza;
import java.util.List;
import org.junit.jupiter.api.Disabled;
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

    List<Action> actions = d.arrive(3, request(RID + 2).build(), T0 + 200);

    assertThat(actions).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new Schedule(new Timer.Wait(3), T0 + 200 + 60_000),
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
    d.arrive(3, request(RID + 2).build(), T0 + 200);

    List<Action> actions = d.arrive(4, request(RID + 3).build(), T0 + 300);

    assertThat(actions).contains(
        new Respond(3, Body.builder().attribute(BodyAttribute.ACK, RID + 3).build()));
    assertThat(d.on(new TimerFired(new Timer.Wait(4), T0 + 300 + 60_000)))
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

    List<Action> actions = d.arrive(3, request(RID + 2).build(), T0 + 200);

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
  @Disabled("§9.2 response acknowledgements (report/time) pending")
  void lowClientAckIsAnsweredAtOnceWithReportAndTime() {
    Driver d = withAcks();
    d.arrive(2, request(RID + 1).build(), T0 + 100);
    d.on(new UpstreamReceived(List.of(HELLO), T0 + 200)); // answers RID + 1
    // the client says it has only seen the creation response
    List<Action> actions = d.arrive(3,
        request(RID + 2).attribute(BodyAttribute.ACK, RID).build(), T0 + 1_200);

    assertThat(actions).contains(new Respond(3, Body.builder()
        .attribute(BodyAttribute.REPORT, RID + 1)
        .attribute(BodyAttribute.TIME, 1_000)
        .build()));
  }
}
