package dev.bindery.protocol.session;

import static dev.bindery.protocol.session.Driver.CREATION_REQUEST;
import static dev.bindery.protocol.session.Driver.RID;
import static dev.bindery.protocol.session.Driver.STREAM_ERROR;
import static dev.bindery.protocol.session.Driver.T0;
import static dev.bindery.protocol.session.Driver.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.protocol.xmpp.ErrorDetail;
import dev.bindery.protocol.session.Action.Cancel;
import dev.bindery.protocol.session.Action.CloseUpstream;
import dev.bindery.protocol.session.Action.EndSession;
import dev.bindery.protocol.session.Action.Respond;
import dev.bindery.protocol.session.Action.Schedule;
import dev.bindery.protocol.session.Event.UpstreamClosed;
import dev.bindery.protocol.session.Event.UpstreamStreamError;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * XEP-0124 v1.11.2 §17 "Error and Status Codes"
 * (https://xmpp.org/extensions/xep-0124.html#errorstatus), as the session produces them.
 */
class Xep0124Section17ErrorsTest {

  private static final Body REMOTE_CONNECTION_FAILED =
      Body.builder().terminate(BindingCondition.REMOTE_CONNECTION_FAILED).build();

  /*
   * remote-connection-failed: "The connection manager was unable to connect to, or unable to
   * connect securely to, or has lost its connection to, the server." Here the connection could
   * not be made at all.
   */
  @Test
  void upstreamThatNeverOpensFailsTheCreationRequest() {
    Driver d = Driver.create();
    d.start(CREATION_REQUEST, T0);

    List<Action> actions = d.on(new UpstreamClosed("connection refused", T0 + 100));

    assertThat(actions).containsExactly(
        new CloseUpstream(),
        new Cancel(new Timer.Wait(CREATION_REQUEST)),
        new Respond(CREATION_REQUEST, REMOTE_CONNECTION_FAILED),
        new Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.REMOTE_CONNECTION_FAILED));
  }

  /* [...] "or has lost its connection to, the server", told on the request being held. */
  @Test
  void lostUpstreamTerminatesTheHeldRequest() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    List<Action> actions = d.on(new UpstreamClosed("reset by peer", T0 + 200));

    assertThat(actions).containsExactly(
        new CloseUpstream(),
        new Cancel(new Timer.Wait(2)),
        new Respond(2, REMOTE_CONNECTION_FAILED),
        new Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.REMOTE_CONNECTION_FAILED));
  }

  /* With nothing held, the client learns it on its next request. */
  @Test
  void lostUpstreamWithNothingHeldIsToldOnTheNextRequest() {
    Driver d = Driver.open();

    List<Action> onClose = d.on(new UpstreamClosed("reset by peer", T0 + 200));
    List<Action> onRequest = d.arrive(2, request(RID + 1).build(), T0 + 300);

    assertThat(onClose).containsExactly(
        new CloseUpstream(),
        new Schedule(Timer.INACTIVITY, T0 + 200 + 60_000));
    assertThat(d.session.ended()).isTrue();
    assertThat(onRequest).containsExactly(
        new Respond(2, REMOTE_CONNECTION_FAILED),
        new Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.REMOTE_CONNECTION_FAILED));
  }

  /* A second failure report of the same upstream changes nothing. */
  @Test
  void secondUpstreamFailureIsIgnored() {
    Driver d = Driver.open();
    d.on(new UpstreamClosed("reset by peer", T0 + 200));

    assertThat(d.on(new UpstreamClosed("again", T0 + 210))).isEmpty();
    assertThat(d.on(new UpstreamStreamError(STREAM_ERROR, T0 + 220))).isEmpty();
    assertThat(d.arrive(2, request(RID + 1).build(), T0 + 300))
        .contains(new Respond(2, REMOTE_CONNECTION_FAILED));
  }

  /* bad-request: "The format of an HTTP header or binding element received from the client is unacceptable" */
  @Test
  void requestWithoutRidIsBadRequest() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    List<Action> actions = d.arrive(3, Body.builder().sid(Driver.SID).build(), T0 + 200);

    Body badRequest = Body.builder().terminate(BindingCondition.BAD_REQUEST).build();
    assertThat(actions).containsExactly(
        new Respond(3, badRequest),
        new CloseUpstream(),
        new Cancel(new Timer.Wait(2)),
        // §17.2 other-request: "Another request being processed at the same time has caused the
        // session to terminate."
        new Respond(2, Body.builder().terminate(BindingCondition.OTHER_REQUEST).build()),
        new Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.BAD_REQUEST));
  }

  /* The same for a rid that is not a valid number. */
  @Test
  void requestWithAnInvalidRidIsBadRequest() {
    Driver d = Driver.open();

    List<Action> actions = d.arrive(2,
        Body.builder().sid(Driver.SID).attribute(BodyAttribute.RID, "x").build(), T0 + 100);

    assertThat(actions).startsWith(
        new Respond(2, Body.builder().terminate(BindingCondition.BAD_REQUEST).build()),
        new CloseUpstream());
  }

  /*
   * item-not-found: "(1) 'sid' is not valid" — a session that has ended answers like one that
   * never existed.
   */
  @Test
  void endedSessionAnswersItemNotFound() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).terminate(null).build(), T0 + 100);

    assertThat(d.arrive(3, request(RID + 2).build(), T0 + 200)).containsExactly(
        new Respond(3, Body.builder().terminate(BindingCondition.ITEM_NOT_FOUND).build()));
  }

  /*
   * "Recoverable Binding Conditions [...] In any response it sends to the client, the connection
   * manager MAY return a recoverable error by setting a 'type' attribute of the <body/> element
   * to "error". These errors do not imply that the HTTP session is terminated."
   */
  @Test
  void recoverableErrorKeepsTheSession() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    assertThat(d.arrive(3, request(RID + 1).build(), T0 + 200))
        .contains(new Respond(2, Body.builder().attribute(BodyAttribute.TYPE, "error").build()))
        .noneMatch(EndSession.class::isInstance);
    assertThat(d.session.ended()).isFalse();
  }

  /*
   * undefined-condition: "The error is not one of those defined herein; the connection manager
   * SHOULD include application-specific information in the content of the wrapper." The server
   * broke XML or XMPP without a stream error.
   */
  @Test
  void upstreamViolationIsUndefinedCondition() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    assertThat(d.on(new Event.UpstreamViolation(0, "stanza over 65536 bytes", T0 + 200)))
        .containsExactly(
            new CloseUpstream(),
            new Cancel(new Timer.Wait(2)),
            new Respond(2, Body.builder().terminate(BindingCondition.UNDEFINED_CONDITION)
                .payload(ErrorDetail.of("stanza over 65536 bytes")).build()),
            new Cancel(Timer.INACTIVITY),
            new EndSession(BindingCondition.UNDEFINED_CONDITION));
  }

  /*
   * other-request: "Another request being processed at the same time has caused the session to
   * terminate." Every pending request but the offending one gets it, held or held back.
   */
  @Test
  void everyOtherPendingRequestGetsOtherRequest() {
    Driver d = Driver.open(creationWithHold(2), new SessionLimits(60, 2, 60, 2, 5));
    d.arrive(2, request(RID + 1, Driver.message("a")).build(), T0 + 100);
    d.arrive(3, request(RID + 2, Driver.message("b")).build(), T0 + 200);
    d.arrive(5, request(RID + 4, Driver.message("d")).build(), T0 + 300); // held back

    List<Action> actions = d.arrive(6, request(RID + 3)
        .attribute(BodyAttribute.RID, "0").build(), T0 + 400);

    Body otherRequest = Body.builder().terminate(BindingCondition.OTHER_REQUEST).build();
    assertThat(actions).containsExactly(
        new Respond(6, Body.builder().terminate(BindingCondition.BAD_REQUEST).build()),
        new CloseUpstream(),
        new Cancel(new Timer.Wait(2)),
        new Respond(2, otherRequest),
        new Cancel(new Timer.Wait(3)),
        new Respond(3, otherRequest),
        new Respond(5, otherRequest),
        new Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.BAD_REQUEST));
  }

  private static Body creationWithHold(int hold) {
    return Driver.creation().attribute(BodyAttribute.HOLD, Integer.toString(hold)).build();
  }
}
