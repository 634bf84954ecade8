package dev.bindery.protocol.session;

import static dev.bindery.protocol.session.Driver.CREATION_REQUEST;
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
import dev.bindery.protocol.session.Event.TimerFired;
import dev.bindery.protocol.session.Event.UpstreamReceived;
import dev.bindery.protocol.xmpp.Stanza;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * XEP-0124 v1.11.2 §14 "Request IDs" (https://xmpp.org/extensions/xep-0124.html#rids).
 */
class Xep0124Section14RequestIdsTest {

  private static final long WAIT_MS = 60_000;
  private static final Stanza FIRST = message("first");
  private static final Stanza SECOND = message("second");
  private static final Stanza THIRD = message("third");
  private static final Body ITEM_NOT_FOUND =
      Body.builder().terminate(BindingCondition.ITEM_NOT_FOUND).build();
  private static final Body POLICY_VIOLATION =
      Body.builder().terminate(BindingCondition.POLICY_VIOLATION).build();
  private static final Body OTHER_REQUEST =
      Body.builder().terminate(BindingCondition.OTHER_REQUEST).build();
  private static final Body RECOVERABLE = Body.builder().attribute(BodyAttribute.TYPE, "error").build();

  /* "[...] and then increment that value by one for each subsequent request." */
  @Test
  void requestsInOrderAreProcessedAsTheyArrive() {
    Driver d = Driver.open();

    assertThat(d.arrive(2, request(RID + 1, FIRST).build(), T0 + 100)).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new SendUpstream(List.of(FIRST)),
        new Schedule(new Timer.Wait(2), T0 + 100 + WAIT_MS));
    assertThat(d.arrive(3, request(RID + 2, SECOND).build(), T0 + 200)).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new SendUpstream(List.of(SECOND)),
        new Schedule(new Timer.Wait(3), T0 + 200 + WAIT_MS),
        new Cancel(new Timer.Wait(2)),
        new Respond(2, Body.empty()));
  }

  /*
   * "When a client makes simultaneous requests, the connection manager might receive them out of
   * order. The connection manager MUST forward the payloads to the server and respond to the
   * client requests in the order specified by the 'rid' attributes."
   */
  @Test
  void laterRidArrivingFirstWaitsForTheEarlierOne() {
    Driver d = Driver.open();

    assertThat(d.arrive(3, request(RID + 2, SECOND).build(), T0 + 100)).isEmpty();
    List<Action> actions = d.arrive(2, request(RID + 1, FIRST).build(), T0 + 200);

    assertThat(actions).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new SendUpstream(List.of(FIRST)),
        new Schedule(new Timer.Wait(2), T0 + 200 + WAIT_MS),
        new Cancel(Timer.INACTIVITY),
        new SendUpstream(List.of(SECOND)),
        new Schedule(new Timer.Wait(3), T0 + 100 + WAIT_MS),
        new Cancel(new Timer.Wait(2)),
        new Respond(2, Body.empty()));
  }

  /* "[...] MUST forward the payloads to the server [...] in the order specified by the 'rid' attributes." */
  @Test
  void severalEarlyRidsAreForwardedInRidOrder() {
    SessionLimits holdThree = new SessionLimits(60, 3, 60, 2, 5);
    Driver d = Driver.open(Driver.creation().attribute(BodyAttribute.HOLD, "3").build(), holdThree);
    assertThat(d.arrive(4, request(RID + 3, THIRD).build(), T0 + 100)).isEmpty();
    assertThat(d.arrive(3, request(RID + 2, SECOND).build(), T0 + 110)).isEmpty();

    List<Action> actions = d.arrive(2, request(RID + 1, FIRST).build(), T0 + 120);

    assertThat(actions).filteredOn(SendUpstream.class::isInstance).containsExactly(
        new SendUpstream(List.of(FIRST)),
        new SendUpstream(List.of(SECOND)),
        new SendUpstream(List.of(THIRD)));
  }

  /*
   * "The connection manager SHOULD expect the 'rid' attribute to be within a window of values
   * greater than the 'rid' of the previous request. The size of the window is equal to the
   * maximum number of simultaneous requests allowed by the connection manager. If it receives a
   * request with a 'rid' greater than the values in the window, then the connection manager MUST
   * terminate the session with an error"
   */
  @Test
  void ridBeyondWindowTerminatesWithItemNotFound() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    // requests='2': after RID + 1 the window is RID + 2 .. RID + 3
    List<Action> actions = d.arrive(3, request(RID + 4).build(), T0 + 200);

    assertThat(actions).containsExactly(
        new Respond(3, ITEM_NOT_FOUND),
        new CloseUpstream(),
        new Cancel(new Timer.Wait(2)),
        new Respond(2, OTHER_REQUEST),
        new Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.ITEM_NOT_FOUND));
    assertThat(d.session.ended()).isTrue();
  }

  /* The window edge: the last rid inside it is accepted. */
  @Test
  void lastRidInsideTheWindowIsAccepted() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    // with a payload: two empty requests this fast would be overactivity (§11)
    assertThat(d.arrive(4, request(RID + 3, FIRST).build(), T0 + 200)).isEmpty();
    assertThat(d.session.ended()).isFalse();
  }

  /*
   * Requests held back early are answered too when the session ends, with §17.2 other-request:
   * "Another request being processed at the same time has caused the session to terminate."
   */
  @Test
  void ridBeyondWindowAlsoAnswersRequestsHeldBack() {
    Driver d = Driver.open();
    d.arrive(3, request(RID + 2).build(), T0 + 100);

    List<Action> actions = d.arrive(4, request(RID + 4).build(), T0 + 200);

    assertThat(actions).containsExactly(
        new Respond(4, ITEM_NOT_FOUND),
        new CloseUpstream(),
        new Respond(3, OTHER_REQUEST),
        new Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.ITEM_NOT_FOUND));
  }

  /*
   * "Whenever the connection manager receives a request with a 'rid' that it has already
   * received, it SHOULD return an HTTP 200 (OK) response that includes the buffered copy of the
   * original XML response to the client".
   */
  @Test
  void repeatedAnsweredRidGetsTheBufferedResponseAgain() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1, FIRST).build(), T0 + 100);
    d.on(new UpstreamReceived(List.of(SECOND), T0 + 200));

    List<Action> actions = d.arrive(3, request(RID + 1, FIRST).build(), T0 + 300);

    assertThat(actions).containsExactly(new Respond(3, Body.builder().payload(SECOND).build()));
  }

  /* The creation response is buffered too: a client that lost it gets its session again. */
  @Test
  void repeatedCreationRidGetsTheCreationResponseAgain() {
    Driver d = Driver.create();
    d.start(CREATION_REQUEST, T0);
    Respond creation = (Respond) d.on(new UpstreamReceived(List.of(Driver.FEATURES), T0 + 10))
        .stream().filter(Respond.class::isInstance).findFirst().orElseThrow();

    List<Action> actions = d.arrive(2, Driver.creation().build(), T0 + 20);

    assertThat(actions).containsExactly(new Respond(2, creation.body()));
    assertThat(creation.body().sid()).hasValue(Driver.SID);
  }

  /*
   * "If the connection manager receives a request for a 'rid' which has already been received
   * but to which it has not yet responded then it SHOULD respond immediately to the existing
   * request with a recoverable binding condition [...] and send any future response to the latest
   * request."
   */
  @Test
  void repeatedPendingRidAnswersTheOlderWithAnErrorAndKeepsTheNewer() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1, FIRST).build(), T0 + 100);

    List<Action> repeat = d.arrive(3, request(RID + 1, FIRST).build(), T0 + 200);
    List<Action> reply = d.on(new UpstreamReceived(List.of(SECOND), T0 + 300));

    assertThat(repeat).containsExactly(
        new Cancel(new Timer.Wait(2)),
        new Respond(2, RECOVERABLE),
        new Schedule(new Timer.Wait(3), T0 + 200 + WAIT_MS));
    assertThat(reply).containsExactly(
        new Cancel(new Timer.Wait(3)),
        new Respond(3, Body.builder().payload(SECOND).build()),
        new Schedule(Timer.INACTIVITY, T0 + 300 + 60_000));
  }

  /* The repeat does not forward the payload a second time. */
  @Test
  void repeatedRidIsNotForwardedAgain() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1, FIRST).build(), T0 + 100);

    assertThat(d.arrive(3, request(RID + 1, FIRST).build(), T0 + 200))
        .noneMatch(SendUpstream.class::isInstance);
  }

  /* The same for a request that is still held back waiting for an earlier rid. */
  @Test
  void repeatedEarlyRidAnswersTheOlderWithAnErrorAndKeepsTheNewer() {
    Driver d = Driver.open();
    assertThat(d.arrive(3, request(RID + 2, SECOND).build(), T0 + 100)).isEmpty();

    assertThat(d.arrive(4, request(RID + 2, SECOND).build(), T0 + 150))
        .containsExactly(new Respond(3, RECOVERABLE));
    List<Action> actions = d.arrive(2, request(RID + 1, FIRST).build(), T0 + 200);

    assertThat(actions).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new SendUpstream(List.of(FIRST)),
        new Schedule(new Timer.Wait(2), T0 + 200 + WAIT_MS),
        new Cancel(Timer.INACTIVITY),
        new SendUpstream(List.of(SECOND)),
        new Schedule(new Timer.Wait(4), T0 + 150 + WAIT_MS),
        new Cancel(new Timer.Wait(2)),
        new Respond(2, Body.empty()));
  }

  /*
   * "[...] a connection manager implementation MAY choose to impose a limit to the frequency or
   * number of requests for the same 'rid'. If the client exceeds this limit then the connection
   * manager SHOULD terminate the HTTP session and return a 'policy-violation' terminal binding
   * error to the client".
   */
  @Test
  void tooManyRepeatsOfAnAnsweredRidArePolicyViolation() {
    Driver d = Driver.open(); // maxRepeatedRids = 5
    d.arrive(2, request(RID + 1).build(), T0 + 100);
    d.on(new UpstreamReceived(List.of(FIRST), T0 + 200));
    Body buffered = Body.builder().payload(FIRST).build();
    for (long id = 3; id < 3 + SessionLimits.DEFAULT_MAX_REPEATED_RIDS; id++) {
      assertThat(d.arrive(id, request(RID + 1).build(), T0 + 300 + id))
          .containsExactly(new Respond(id, buffered));
    }

    List<Action> actions = d.arrive(99, request(RID + 1).build(), T0 + 1_000);

    assertThat(actions).containsExactly(
        new Respond(99, POLICY_VIOLATION),
        new CloseUpstream(),
        new Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.POLICY_VIOLATION));
  }

  /* The limit holds for a rid repeated while it is pending, too. */
  @Test
  void tooManyRepeatsOfAPendingRidArePolicyViolation() {
    Driver d = Driver.open(Driver.creation().build(), new SessionLimits(60, 1, 60, 2, 1));
    d.arrive(2, request(RID + 1).build(), T0 + 100);
    d.arrive(3, request(RID + 1).build(), T0 + 200); // one repeat is allowed

    List<Action> actions = d.arrive(4, request(RID + 1).build(), T0 + 300);

    assertThat(actions).containsExactly(
        new Respond(4, POLICY_VIOLATION),
        new CloseUpstream(),
        new Cancel(new Timer.Wait(3)),
        new Respond(3, OTHER_REQUEST),
        new Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.POLICY_VIOLATION));
  }

  /* The limit holds for a rid repeated while it is held back early, too. */
  @Test
  void tooManyRepeatsOfAnEarlyRidArePolicyViolation() {
    Driver d = Driver.open(Driver.creation().build(), new SessionLimits(60, 1, 60, 2, 1));
    d.arrive(3, request(RID + 2).build(), T0 + 100);
    assertThat(d.arrive(4, request(RID + 2).build(), T0 + 200)) // one repeat is allowed
        .containsExactly(new Respond(3, RECOVERABLE));

    List<Action> actions = d.arrive(5, request(RID + 2).build(), T0 + 300);

    assertThat(actions).containsExactly(
        new Respond(4, RECOVERABLE),
        new Respond(5, POLICY_VIOLATION),
        new CloseUpstream(),
        new Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.POLICY_VIOLATION));
  }

  /*
   * "If the original response is not available (e.g., it is no longer in the buffer), then the
   * connection manager MUST return an 'item-not-found' terminal binding error".
   */
  @Test
  void repeatedRidNoLongerBufferedIsItemNotFound() {
    Driver d = Driver.open(); // buffers 'requests' = 2 responses
    d.arrive(2, request(RID + 1).build(), T0 + 100);
    d.arrive(3, request(RID + 2).build(), T0 + 2_200); // answers RID + 1; 'polling' later: §11
    d.on(new TimerFired(new Timer.Wait(3), T0 + 2_200 + WAIT_MS)); // answers RID + 2
    d.arrive(4, request(RID + 3).build(), T0 + 70_000);
    d.on(new TimerFired(new Timer.Wait(4), T0 + 130_000)); // answers RID + 3: RID + 1 is evicted

    List<Action> actions = d.arrive(5, request(RID + 1).build(), T0 + 131_000);

    assertThat(actions).containsExactly(
        new Respond(5, ITEM_NOT_FOUND),
        new CloseUpstream(),
        new Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.ITEM_NOT_FOUND));
  }

  /* "Note: The error is the same whether the 'rid' is too large or too small." */
  @Test
  void ridTooSmallAndTooLargeGetTheSameError() {
    Driver tooSmall = Driver.open();
    Driver tooLarge = Driver.open();

    Respond small = (Respond) tooSmall.arrive(2, request(RID - 100).build(), T0 + 100).get(0);
    Respond large = (Respond) tooLarge.arrive(2, request(RID + 100).build(), T0 + 100).get(0);

    assertThat(small.body()).isEqualTo(large.body()).isEqualTo(ITEM_NOT_FOUND);
  }

  /* Recoverable errors are not buffered: a resend after one gets what the retry got. */
  @Test
  void responsesAreBufferedPerRidNotPerExchange() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);
    d.arrive(3, request(RID + 1).build(), T0 + 200); // request 2 gets type='error'
    d.on(new UpstreamReceived(List.of(FIRST), T0 + 300)); // request 3 gets FIRST

    assertThat(d.arrive(4, request(RID + 1).build(), T0 + 400))
        .containsExactly(new Respond(4, Body.builder().payload(FIRST).build()));
  }
}
