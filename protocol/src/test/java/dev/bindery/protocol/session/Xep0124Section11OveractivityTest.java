package dev.bindery.protocol.session;

import static dev.bindery.protocol.session.Driver.RID;
import static dev.bindery.protocol.session.Driver.T0;
import static dev.bindery.protocol.session.Driver.message;
import static dev.bindery.protocol.session.Driver.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.protocol.session.Action.Cancel;
import dev.bindery.protocol.session.Action.CloseUpstream;
import dev.bindery.protocol.session.Action.EndSession;
import dev.bindery.protocol.session.Action.Respond;
import dev.bindery.protocol.session.Action.Schedule;
import dev.bindery.protocol.session.Action.SendUpstream;
import dev.bindery.protocol.xmpp.Stanza;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * XEP-0124 v1.11.2 §11 "Overactivity" (https://xmpp.org/extensions/xep-0124.html#overactive).
 * The default session has requests='2' and polling='2'.
 */
class Xep0124Section11OveractivityTest {

  private static final Stanza HELLO = message("hello");
  private static final Body POLICY_VIOLATION =
      Body.builder().terminate(BindingCondition.POLICY_VIOLATION).build();
  private static final Body OTHER_REQUEST =
      Body.builder().terminate(BindingCondition.OTHER_REQUEST).build();

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
  void emptyRequestsFasterThanPollingArePolicyViolation() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    List<Action> actions = d.arrive(3, request(RID + 2).build(), T0 + 600);

    assertThat(actions).containsExactly(
        new Respond(3, POLICY_VIOLATION),
        new CloseUpstream(),
        new Cancel(new Timer.Wait(2)),
        new Respond(2, OTHER_REQUEST),
        new Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.POLICY_VIOLATION));
  }

  /* "[...] and if the last two requests arrived within a period shorter than [...] 'polling'" */
  @Test
  void emptyRequestsPollingSecondsApartAreFine() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    assertThat(d.arrive(3, request(RID + 2).build(), T0 + 2_100)).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new Schedule(new Timer.Wait(3), T0 + 2_100 + 60_000),
        new Cancel(new Timer.Wait(2)),
        new Respond(2, Body.empty()));
  }

  /* "[...] and if the last request was empty": a request carrying a payload may come at once. */
  @Test
  void requestWithAPayloadIsNeverTooFrequent() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    assertThat(d.arrive(3, request(RID + 2, HELLO).build(), T0 + 150))
        .contains(new SendUpstream(List.of(HELLO)), new Respond(2, Body.empty()))
        .noneMatch(EndSession.class::isInstance);
  }

  /* "[...] and if the connection manager has not yet responded to any of the requests" */
  @Test
  void aResponseInBetweenStartsTheCountAgain() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);
    d.on(new Event.UpstreamReceived(List.of(HELLO), T0 + 200)); // answers 2

    assertThat(d.arrive(3, request(RID + 2).build(), T0 + 300))
        .noneMatch(EndSession.class::isInstance);
  }

  /* "[...] and if the last request did not include either a 'pause' attribute or a 'type' attribute set to "terminate"" */
  @Test
  void terminateRequestIsNeverOveractivity() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    List<Action> actions = d.arrive(3, request(RID + 2).terminate(null).build(), T0 + 200);

    assertThat(actions).endsWith(new EndSession(null));
  }

  /* The same for a pause request. */
  @Test
  void pauseRequestIsNeverOveractivity() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    assertThat(d.arrive(3, request(RID + 2).attribute(BodyAttribute.PAUSE, "60").build(), T0 + 200))
        .contains(new Respond(2, Body.empty()), new Respond(3, Body.empty()))
        .noneMatch(EndSession.class::isInstance);
  }

  /* A restart request (XEP-0206 §5) asks for something: it is not an empty poll. */
  @Test
  void restartRequestIsNotEmpty() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    assertThat(d.arrive(3, request(RID + 2).attribute(BodyAttribute.XMPP_RESTART, "true").build(),
        T0 + 200)).noneMatch(EndSession.class::isInstance);
  }

  /* Nor is an add-stream request (§16). */
  @Test
  void addStreamRequestIsNotEmpty() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    assertThat(d.arrive(3, request(RID + 2).attribute(BodyAttribute.TO, Driver.OTHER_DOMAIN)
        .build(), T0 + 200)).noneMatch(EndSession.class::isInstance);
  }

  /* "a sequence of new requests (i.e. requests with incremented rid attributes, not repeat requests)" */
  @Test
  void repeatedRequestsAreNotCounted() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);
    d.arrive(3, request(RID + 1).build(), T0 + 200);
    d.arrive(4, request(RID + 1).build(), T0 + 300);

    assertThat(d.session.ended()).isFalse();
  }

  /*
   * "If during any period the client sends a sequence of new requests [...] longer than the
   * number specified by the 'requests' attribute, and if the connection manager has not yet
   * responded to any of the requests, and if the last request did not include either a 'pause'
   * attribute or a 'type' attribute set to "terminate", then the connection manager SHOULD
   * consider that the client is making too many simultaneous requests, and terminate the HTTP
   * session with a 'policy-violation' terminal binding error to the client."
   */
  @Test
  void moreThanRequestsUnansweredRequestsArePolicyViolation() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1, HELLO).build(), T0 + 100); // held
    d.arrive(4, request(RID + 3, HELLO).build(), T0 + 200); // early, waits for RID + 2

    List<Action> actions = d.arrive(3, request(RID + 2, HELLO).build(), T0 + 300); // the third

    assertThat(actions).containsExactly(
        new Respond(3, POLICY_VIOLATION),
        new CloseUpstream(),
        new Cancel(new Timer.Wait(2)),
        new Respond(2, OTHER_REQUEST),
        new Respond(4, OTHER_REQUEST),
        new Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.POLICY_VIOLATION));
  }

  /*
   * "The client SHOULD NOT make more simultaneous requests than specified by the 'requests'
   * attribute [...]. However the client MAY make one additional request if it is to pause or
   * terminate a session."
   */
  @Test
  void oneExtraRequestIsAllowedToPause() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1, HELLO).build(), T0 + 100);
    d.arrive(4, request(RID + 3, HELLO).build(), T0 + 200);

    List<Action> actions = d.arrive(3, request(RID + 2).attribute(BodyAttribute.PAUSE, "60")
        .build(), T0 + 300);

    assertThat(actions).contains(new Respond(2, Body.empty()), new Respond(3, Body.empty()))
        .noneMatch(EndSession.class::isInstance);
  }

  /* The same for terminate. */
  @Test
  void oneExtraRequestIsAllowedToTerminate() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1, HELLO).build(), T0 + 100);
    d.arrive(4, request(RID + 3, HELLO).build(), T0 + 200);

    List<Action> actions = d.arrive(3, request(RID + 2).terminate(null).build(), T0 + 300);

    assertThat(actions).endsWith(new EndSession(null));
  }

  /*
   * "[...] and if the last request was empty [...]": the last of the sequence. An empty poll
   * overtaken by the payload the client sent after it is not polling too fast.
   */
  @Test
  void emptyRequestOvertakenByAPayloadIsNoViolation() {
    Driver d = Driver.open();
    d.arrive(3, request(RID + 2, HELLO).build(), T0 + 100);

    List<Action> actions = d.arrive(2, request(RID + 1).build(), T0 + 150);

    assertThat(actions).contains(new SendUpstream(List.of(HELLO)))
        .noneMatch(EndSession.class::isInstance);
  }

  /*
   * Leniency PAYLOAD_THEN_WAIT_REQUEST: a payload followed at once by an empty request to wait on
   * (as Smack's jbosh sends during login) is not "making requests more frequently than it was
   * permitted"; only a run of empty requests is.
   */
  @Test
  void payloadFollowedByAnEmptyWaitRequestIsNoViolation() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1, HELLO).build(), T0 + 100);

    List<Action> actions = d.arrive(3, request(RID + 2).build(), T0 + 150);

    assertThat(actions).contains(new Respond(2, Body.empty()))
        .noneMatch(EndSession.class::isInstance);
  }
}
