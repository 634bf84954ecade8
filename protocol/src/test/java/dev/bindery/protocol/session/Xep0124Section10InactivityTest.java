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
import dev.bindery.protocol.session.Event.TimerFired;
import dev.bindery.protocol.session.Event.UpstreamReceived;
import dev.bindery.protocol.xmpp.Namespaces;
import dev.bindery.protocol.xmpp.Bounce;
import dev.bindery.protocol.xmpp.Stanza;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * XEP-0124 v1.11.2 §10 "Inactivity" (https://xmpp.org/extensions/xep-0124.html#inactive).
 */
class Xep0124Section10InactivityTest {

  private static final long INACTIVITY_MS = 60_000;

  /*
   * "If the connection manager has responded to all the requests it has received within a
   * session and the time since its last response is longer than the maximum inactivity period,
   * then it SHOULD assume the client has been disconnected and terminate the session without
   * informing the client."
   */
  @Test
  void inactivityEndsTheSessionWithoutTellingTheClient() {
    Driver d = Driver.open();

    List<Action> actions = d.on(new TimerFired(Timer.INACTIVITY, T0 + INACTIVITY_MS));

    assertThat(actions).containsExactly(
        new CloseUpstream(),
        new Cancel(Timer.INACTIVITY),
        new EndSession(null));
    assertThat(d.session.ended()).isTrue();
  }

  /*
   * "If the client subsequently makes another request, then the connection manager SHOULD
   * respond as if the session does not exist."
   */
  @Test
  void requestAfterInactivityIsTreatedAsForAnUnknownSession() {
    Driver d = Driver.open();
    d.on(new TimerFired(Timer.INACTIVITY, T0 + INACTIVITY_MS));

    List<Action> actions = d.arrive(2, request(RID + 1).build(), T0 + INACTIVITY_MS + 1);

    assertThat(actions).containsExactly(
        new Respond(2, Body.builder().terminate(BindingCondition.ITEM_NOT_FOUND).build()));
  }

  /* "If the connection manager has responded to all the requests it has received [...]" */
  @Test
  void aHeldRequestKeepsTheSessionAlive() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    assertThat(d.on(new TimerFired(Timer.INACTIVITY, T0 + INACTIVITY_MS))).isEmpty();
    assertThat(d.session.ended()).isFalse();
  }

  /* "[...] and the time since its last response is longer than the maximum inactivity period" */
  @Test
  void inactivityCountsFromTheLastResponse() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 10_000);
    assertThat(d.on(new UpstreamReceived(List.of(message("m")), T0 + 20_000)))
        .contains(new Schedule(Timer.INACTIVITY, T0 + 20_000 + INACTIVITY_MS));

    // the timer scheduled at creation, delivered late
    assertThat(d.on(new TimerFired(Timer.INACTIVITY, T0 + INACTIVITY_MS))).isEmpty();
    assertThat(d.on(new TimerFired(Timer.INACTIVITY, T0 + 20_000 + INACTIVITY_MS)))
        .containsExactly(new CloseUpstream(), new Cancel(Timer.INACTIVITY), new EndSession(null));
  }

  /*
   * "[...] the time since its last response [...]": traffic from the server to a client that no
   * longer asks for it is not client activity.
   */
  @Test
  void upstreamTrafficDoesNotKeepAnAbandonedSessionAlive() {
    Driver d = Driver.open();

    assertThat(d.on(new UpstreamReceived(List.of(message("m1")), T0 + 30_000))).isEmpty();
    assertThat(d.on(new UpstreamReceived(List.of(message("m2")), T0 + 59_000))).isEmpty();

    // XEP-0206 §7: the messages nobody collected go back to the server
    assertThat(d.on(new TimerFired(Timer.INACTIVITY, T0 + INACTIVITY_MS))).containsExactly(
        new SendUpstream(Bounce.of(List.of(message("m1"), message("m2")))),
        new CloseUpstream(),
        new Cancel(Timer.INACTIVITY),
        new EndSession(null));
  }

  /* A request arriving stops the inactivity clock. */
  @Test
  void everyProcessedRequestCancelsTheInactivityTimer() {
    Driver d = Driver.open();

    assertThat(d.arrive(2, request(RID + 1).build(), T0 + 100)).startsWith(new Cancel(Timer.INACTIVITY));
  }

  /*
   * "Upon reception of a session pause request, if the requested period is not greater than the
   * maximum permitted time, then the connection manager SHOULD respond immediately to all pending
   * requests (including the pause request) and temporarily increase the maximum inactivity period
   * to the requested time."
   */
  @Test
  void pauseAnswersEveryPendingRequestAndStretchesInactivity() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    List<Action> actions = d.arrive(3, pause(RID + 2, 120).build(), T0 + 200);

    assertThat(actions).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new Cancel(new Timer.Wait(2)),
        new Respond(2, Body.empty()),
        new Cancel(new Timer.Wait(3)),
        new Respond(3, Body.empty()),
        new Schedule(Timer.INACTIVITY, T0 + 200 + 120_000));
  }

  /* "[...] temporarily increase the maximum inactivity period to the requested time." */
  @Test
  void pausedSessionOutlivesTheNormalInactivityButNotThePause() {
    Driver d = Driver.open();
    d.arrive(2, pause(RID + 1, 120).build(), T0 + 100);

    assertThat(d.on(new TimerFired(Timer.INACTIVITY, T0 + 100 + INACTIVITY_MS))).isEmpty();
    assertThat(d.session.ended()).isFalse();
    assertThat(d.on(new TimerFired(Timer.INACTIVITY, T0 + 100 + 120_000)))
        .containsExactly(new CloseUpstream(), new Cancel(Timer.INACTIVITY), new EndSession(null));
  }

  /*
   * "The connection manager SHOULD set the maximum inactivity period back to normal upon
   * reception of the next request from the client".
   */
  @Test
  void nextRequestRestoresTheNormalInactivity() {
    Driver d = Driver.open();
    d.arrive(2, pause(RID + 1, 120).build(), T0 + 100);
    d.arrive(3, request(RID + 2).build(), T0 + 90_000);

    List<Action> actions = d.on(new TimerFired(new Timer.Wait(3), T0 + 150_000));

    assertThat(actions).containsExactly(
        new Cancel(new Timer.Wait(3)),
        new Respond(3, Body.empty()),
        new Schedule(Timer.INACTIVITY, T0 + 150_000 + INACTIVITY_MS));
  }

  /*
   * "(If the client believes it is in danger of becoming disconnected indefinitely then it MAY
   * even request a temporary reduction of the maximum inactivity period by specifying a 'pause'
   * value less than the 'inactivity' value [...])"
   */
  @Test
  void pauseShorterThanInactivityShortensIt() {
    Driver d = Driver.open();

    assertThat(d.arrive(2, pause(RID + 1, 10).build(), T0 + 100))
        .endsWith(new Schedule(Timer.INACTIVITY, T0 + 100 + 10_000));
    assertThat(d.on(new TimerFired(Timer.INACTIVITY, T0 + 100 + 10_000)))
        .endsWith(new EndSession(null));
  }

  /* "Note: The response to the pause request MUST NOT contain any payloads." They wait for the next request. */
  @Test
  void pauseResponseCarriesNoPayloadAndTheStanzasWaitForTheNextRequest() {
    Driver d = Driver.open();
    Stanza waiting = message("waiting");
    d.on(new UpstreamReceived(List.of(waiting), T0 + 50));

    assertThat(d.arrive(2, pause(RID + 1, 60).build(), T0 + 100))
        .contains(new Respond(2, Body.empty()));
    assertThat(d.arrive(3, request(RID + 2).build(), T0 + 30_000))
        .contains(new Respond(3, Body.builder().payload(waiting).build()));
  }

  /* A pause request may carry payloads like any request (§8); they are forwarded. */
  @Test
  void payloadOfAPauseRequestIsForwarded() {
    Driver d = Driver.open();
    Stanza away = new Stanza(Namespaces.JABBER_CLIENT, "presence",
        "<presence xmlns=\"jabber:client\"><show>away</show></presence>");

    assertThat(d.arrive(2, pause(RID + 1, 60).payload(away).build(), T0 + 100)).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new SendUpstream(List.of(away)),
        new Cancel(new Timer.Wait(2)),
        new Respond(2, Body.empty()),
        new Schedule(Timer.INACTIVITY, T0 + 100 + 60_000));
  }

  /*
   * §14.3: the buffer keeps "the client's most recent requests (excluding 'pause' requests and
   * requests that resulted in a recoverable error)". The requests answered by the pause are
   * ordinary ones and stay buffered.
   */
  @Test
  void requestsAnsweredByAPauseStayBufferedButThePauseIsNot() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);
    d.arrive(3, pause(RID + 2, 60).build(), T0 + 200);

    assertThat(d.arrive(4, request(RID + 1).build(), T0 + 300))
        .containsExactly(new Respond(4, Body.empty()));
    assertThat(d.arrive(5, pause(RID + 2, 60).build(), T0 + 400)).startsWith(
        new Respond(5, Body.builder().terminate(BindingCondition.ITEM_NOT_FOUND).build()));
  }

  /*
   * "if the requested period is not greater than the maximum permitted time": a longer pause is
   * a policy violation.
   */
  @Test
  void pauseLongerThanMaxpauseIsPolicyViolation() {
    Driver d = Driver.open(); // maxpause='120'
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    List<Action> actions = d.arrive(3, pause(RID + 2, 121).build(), T0 + 200);

    assertThat(actions).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new Respond(3, Body.builder().terminate(BindingCondition.POLICY_VIOLATION).build()),
        new CloseUpstream(),
        new Cancel(new Timer.Wait(2)),
        new Respond(2, Body.builder().terminate(BindingCondition.OTHER_REQUEST).build()),
        new Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.POLICY_VIOLATION));
  }

  /* The pause is as long as maxpause at most: exactly maxpause is fine. */
  @Test
  void pauseOfExactlyMaxpauseIsAccepted() {
    Driver d = Driver.open();

    assertThat(d.arrive(2, pause(RID + 1, SessionLimits.DEFAULT_MAX_PAUSE).build(), T0 + 100))
        .contains(new Respond(2, Body.empty()))
        .noneMatch(EndSession.class::isInstance);
  }

  /*
   * "Note: If the connection manager did not specify a 'maxpause' attribute at the start of the
   * session then the client MUST NOT send a 'pause' attribute during the session." This one then
   * ignores it: the request is an ordinary one.
   */
  @Test
  void pauseIsIgnoredWhenNoMaxpauseWasAdvertised() {
    Driver d = Driver.open(Driver.creation().build(), SessionLimits.DEFAULTS.withMaxPause(0));

    assertThat(d.arrive(2, pause(RID + 1, 60).build(), T0 + 100)).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new Schedule(new Timer.Wait(2), T0 + 100 + 60_000));
  }

  private static Body.Builder pause(long rid, int seconds) {
    return request(rid).attribute(BodyAttribute.PAUSE, Integer.toString(seconds));
  }
}
