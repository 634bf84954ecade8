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
import dev.bindery.protocol.session.Action.SendUpstream;
import dev.bindery.protocol.session.Event.TimerFired;
import dev.bindery.protocol.session.Event.UpstreamReceived;
import dev.bindery.protocol.xmpp.Stanza;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * XEP-0124 v1.11.2 §8 "Sending and Receiving XML Payloads"
 * (https://xmpp.org/extensions/xep-0124.html#payloads).
 */
class Xep0124Section8PayloadsTest {

  private static final long WAIT_MS = 60_000;
  private static final long INACTIVITY_MS = 60_000;
  private static final Stanza HELLO = message("hello");
  private static final Stanza REPLY = message("reply");

  /*
   * "Upon receipt of a request, the connection manager SHOULD forward the content of the <body/>
   * element to the server as soon as possible."
   */
  @Test
  void clientPayloadsAreForwardedAtOnceAndTheRequestIsHeld() {
    Driver d = Driver.open();

    List<Action> actions = d.arrive(2, request(RID + 1, HELLO, REPLY).build(), T0 + 100);

    assertThat(actions).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new SendUpstream(List.of(HELLO, REPLY)),
        new Schedule(new Timer.Wait(2), T0 + 100 + WAIT_MS));
  }

  /*
   * "If the connection manager has received one or more payloads from the application server for
   * delivery to the client, then it SHOULD return the payloads in the body of its response as
   * soon as possible after receiving them from the server."
   */
  @Test
  void heldRequestIsAnsweredAsSoonAsUpstreamPayloadArrives() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    List<Action> actions = d.on(new UpstreamReceived(List.of(HELLO, REPLY), T0 + 200));

    assertThat(actions).containsExactly(
        new Cancel(new Timer.Wait(2)),
        new Respond(2, Body.builder().payload(HELLO).payload(REPLY).build()),
        new Schedule(Timer.INACTIVITY, T0 + 200 + INACTIVITY_MS));
  }

  /*
   * "If there are no payloads waiting or ready to be delivered within the waiting period, then
   * the connection manager SHOULD include an empty <body/> element in the HTTP result".
   */
  @Test
  void heldRequestGetsAnEmptyBodyWhenItsWaitRunsOut() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    List<Action> actions = d.on(new TimerFired(new Timer.Wait(2), T0 + 100 + WAIT_MS));

    assertThat(actions).containsExactly(
        new Cancel(new Timer.Wait(2)),
        new Respond(2, Body.empty()),
        new Schedule(Timer.INACTIVITY, T0 + 100 + WAIT_MS + INACTIVITY_MS));
  }

  /* "[...] it SHOULD NOT keep more HTTP requests waiting at a time than the number specified in the 'hold' attribute" */
  @Test
  void requestBeyondHoldReleasesTheOldest() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    List<Action> actions = d.arrive(3, request(RID + 2, HELLO).build(), T0 + 200);

    assertThat(actions).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new SendUpstream(List.of(HELLO)),
        new Schedule(new Timer.Wait(3), T0 + 200 + WAIT_MS),
        new Cancel(new Timer.Wait(2)),
        new Respond(2, Body.empty()));
  }

  /*
   * With hold='2', two requests wait; the third releases the oldest. (It comes 'polling' seconds
   * after the second: three empty requests faster than that would be overactivity, §11.)
   */
  @Test
  void holdOfTwoKeepsTwoRequestsWaiting() {
    Driver d = Driver.open(creation().attribute(BodyAttribute.HOLD, "2").build(),
        new SessionLimits(60, 2, 60, 2, 5));
    assertThat(d.arrive(2, request(RID + 1).build(), T0 + 100))
        .containsExactly(new Cancel(Timer.INACTIVITY), new Schedule(new Timer.Wait(2), T0 + 100 + WAIT_MS));
    assertThat(d.arrive(3, request(RID + 2).build(), T0 + 200))
        .containsExactly(new Cancel(Timer.INACTIVITY), new Schedule(new Timer.Wait(3), T0 + 200 + WAIT_MS));

    List<Action> actions = d.arrive(4, request(RID + 3).build(), T0 + 2_200);

    assertThat(actions).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new Schedule(new Timer.Wait(4), T0 + 2_200 + WAIT_MS),
        new Cancel(new Timer.Wait(2)),
        new Respond(2, Body.empty()));
  }

  /* "In any case it MUST respond to requests in the order specified by their 'rid' attributes." */
  @Test
  void waitOfANewerRequestRunningOutAnswersTheOlderOnesFirst() {
    Driver d = Driver.open(creation().attribute(BodyAttribute.HOLD, "2").build(),
        new SessionLimits(60, 2, 60, 2, 5));
    d.arrive(2, request(RID + 1).build(), T0 + 100);
    d.arrive(3, request(RID + 2).build(), T0 + 50);

    List<Action> actions = d.on(new TimerFired(new Timer.Wait(3), T0 + 50 + WAIT_MS));

    assertThat(actions).containsExactly(
        new Cancel(new Timer.Wait(2)),
        new Respond(2, Body.empty()),
        new Cancel(new Timer.Wait(3)),
        new Respond(3, Body.empty()),
        new Schedule(Timer.INACTIVITY, T0 + 50 + WAIT_MS + INACTIVITY_MS));
  }

  /* "In any case it MUST respond to requests in the order specified by their 'rid' attributes." */
  @Test
  void upstreamPayloadGoesToTheOldestHeldRequest() {
    Driver d = Driver.open(creation().attribute(BodyAttribute.HOLD, "2").build(),
        new SessionLimits(60, 2, 60, 2, 5));
    d.arrive(2, request(RID + 1).build(), T0 + 100);
    d.arrive(3, request(RID + 2).build(), T0 + 200);

    List<Action> actions = d.on(new UpstreamReceived(List.of(HELLO), T0 + 300));

    assertThat(actions).containsExactly(
        new Cancel(new Timer.Wait(2)),
        new Respond(2, Body.builder().payload(HELLO).build()));
  }

  /* Payloads that arrive while no request is held wait for the next one. */
  @Test
  void upstreamPayloadWithNothingHeldIsDeliveredOnTheNextRequest() {
    Driver d = Driver.open();
    assertThat(d.on(new UpstreamReceived(List.of(HELLO), T0 + 100))).isEmpty();
    assertThat(d.on(new UpstreamReceived(List.of(REPLY), T0 + 200))).isEmpty();

    List<Action> actions = d.arrive(2, request(RID + 1).build(), T0 + 300);

    assertThat(actions).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new Schedule(new Timer.Wait(2), T0 + 300 + WAIT_MS),
        new Cancel(new Timer.Wait(2)),
        new Respond(2, Body.builder().payload(HELLO).payload(REPLY).build()),
        new Schedule(Timer.INACTIVITY, T0 + 300 + INACTIVITY_MS));
  }

  /*
   * "The client MAY poll the connection manager for incoming payloads by sending an empty
   * <body/> element." / "The connection manager MUST wait and respond in the same way as it does
   * after receiving payloads from the client."
   */
  @Test
  void emptyRequestIsHeldLikeAnyOther() {
    Driver d = Driver.open();

    List<Action> actions = d.arrive(2, request(RID + 1).build(), T0 + 100);

    assertThat(actions).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new Schedule(new Timer.Wait(2), T0 + 100 + WAIT_MS));
  }

  /* A wait timer that fires after its request was answered does nothing. */
  @Test
  void waitTimerOfAnAnsweredRequestIsIgnored() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);
    d.on(new UpstreamReceived(List.of(HELLO), T0 + 200));

    assertThat(d.on(new TimerFired(new Timer.Wait(2), T0 + 100 + WAIT_MS))).isEmpty();
  }

  /*
   * XEP-0124 §12: "the client SHOULD inform the connection manager by setting the values of the
   * 'wait' and/or 'hold' attributes in its session creation request to "0"". With hold='0' no
   * request is kept waiting.
   */
  @Test
  void holdZeroAnswersEveryRequestAtOnce() {
    Driver d = Driver.open(creation().attribute(BodyAttribute.HOLD, "0").build(),
        SessionLimits.DEFAULTS);

    List<Action> actions = d.arrive(2, request(RID + 1, HELLO).build(), T0 + 100);

    assertThat(actions).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new SendUpstream(List.of(HELLO)),
        new Schedule(new Timer.Wait(2), T0 + 100 + WAIT_MS),
        new Cancel(new Timer.Wait(2)),
        new Respond(2, Body.empty()),
        // §12: a polling session gets the longer polling inactivity
        new Schedule(Timer.INACTIVITY,
            T0 + 100 + SessionLimits.DEFAULT_POLLING_INACTIVITY * 1000L));
  }

  /* With wait='0' the wait timer is due at once. */
  @Test
  void waitZeroSchedulesTheWaitForNow() {
    Driver d = Driver.open(creation().attribute(BodyAttribute.WAIT, "0").build(),
        SessionLimits.DEFAULTS);

    assertThat(d.arrive(2, request(RID + 1).build(), T0 + 100))
        .containsExactly(new Cancel(Timer.INACTIVITY), new Schedule(new Timer.Wait(2), T0 + 100));
  }

  /* "The connection manager MUST also return an HTTP 200 OK response with a <body/> element to the client." */
  @Test
  void everyRequestGetsExactlyOneResponse() {
    Driver d = Driver.open();
    List<Action> all = new ArrayList<>();
    all.addAll(d.arrive(2, request(RID + 1, HELLO).build(), T0 + 100));
    all.addAll(d.arrive(3, request(RID + 2).build(), T0 + 2_200)); // 'polling' later: §11
    all.addAll(d.on(new UpstreamReceived(List.of(REPLY), T0 + 2_300)));
    all.addAll(d.arrive(4, request(RID + 3).build(), T0 + 2_400));
    all.addAll(d.on(new TimerFired(new Timer.Wait(4), T0 + 2_400 + WAIT_MS)));

    assertThat(all).filteredOn(Respond.class::isInstance).extracting(a -> ((Respond) a).requestId())
        .containsExactly(2L, 3L, 4L);
  }
}
