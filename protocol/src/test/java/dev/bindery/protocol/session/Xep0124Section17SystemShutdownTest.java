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
import dev.bindery.protocol.session.Action.DisconnectUpstream;
import dev.bindery.protocol.session.Action.EndSession;
import dev.bindery.protocol.session.Action.Respond;
import dev.bindery.protocol.session.Action.Schedule;
import dev.bindery.protocol.session.Action.SendUpstream;
import dev.bindery.protocol.session.Event.Shutdown;
import dev.bindery.protocol.session.Event.UpstreamReceived;
import dev.bindery.protocol.xmpp.Bounce;
import dev.bindery.protocol.xmpp.Stanza;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * XEP-0124 v1.11.2 §17.2 "Terminal Binding Conditions", {@code system-shutdown}
 * (https://xmpp.org/extensions/xep-0124.html#errorstatus-terminal).
 */
class Xep0124Section17SystemShutdownTest {

  private static final Body SHUTDOWN =
      Body.builder().terminate(BindingCondition.SYSTEM_SHUTDOWN).build();

  /*
   * "system-shutdown: The connection manager is being shut down. All active HTTP sessions are
   * being terminated. No new sessions can be created."
   */
  @Test
  void shutdownTerminatesTheHeldRequestAndLeavesTheServerStreamUnfinished() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    List<Action> actions = d.on(new Shutdown(BindingCondition.SYSTEM_SHUTDOWN, T0 + 200));

    assertThat(actions).containsExactly(
        new DisconnectUpstream(),
        new Cancel(new Timer.Wait(2)),
        new Respond(2, SHUTDOWN),
        new Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.SYSTEM_SHUTDOWN));
  }

  /*
   * XEP-0198 v1.6 §7 "Stream Closure": "A cleanly closed stream differs from an unfinished
   * stream. If a client wishes to cleanly close its stream and end its session, it MUST send a
   * </stream:stream> so that the server can send unavailable presence on the client's behalf. If
   * the stream is not cleanly closed then the server SHOULD consider the stream to be unfinished
   * (even if the client closes its TCP connection to the server) and SHOULD maintain the session
   * on behalf of the client for a limited amount of time." The client did not ask to leave: its
   * stream is left unfinished, for it to resume through another node, and what it has not
   * collected stays with the server, which sends it again on resumption. A bounce would be a
   * stanza from the client that the client never counted.
   */
  @Test
  void pendingStanzasStayWithTheServerWhenNothingIsHeld() {
    Driver d = Driver.open();
    d.on(new UpstreamReceived(List.of(message("hi")), T0 + 100));

    List<Action> onShutdown = d.on(new Shutdown(BindingCondition.SYSTEM_SHUTDOWN, T0 + 200));
    List<Action> onRequest = d.arrive(2, request(RID + 1).build(), T0 + 300);

    assertThat(onShutdown).containsExactly(
        new DisconnectUpstream(),
        new Schedule(Timer.INACTIVITY, T0 + 200 + 60_000));
    assertThat(onRequest).containsExactly(
        new Respond(2, SHUTDOWN),
        new Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.SYSTEM_SHUTDOWN));
  }

  /*
   * Another condition ends the session for good (the domain is no longer served): stanzas the
   * client has not collected yet do not go into the void. With nothing held to carry them, they
   * go back to the server (XEP-0206 §7), the stream is closed, and the client learns the
   * condition on its next request.
   */
  @Test
  void pendingStanzasAreBouncedWhenAnotherConditionEndsTheSessionWithNothingHeld() {
    Driver d = Driver.open();
    Stanza hi = message("hi");
    d.on(new UpstreamReceived(List.of(hi), T0 + 100));

    List<Action> onShutdown = d.on(new Shutdown(BindingCondition.HOST_GONE, T0 + 200));
    List<Action> onRequest = d.arrive(2, request(RID + 1).build(), T0 + 300);

    assertThat(onShutdown).containsExactly(
        new SendUpstream(Bounce.of(List.of(hi))),
        new CloseUpstream(),
        new Schedule(Timer.INACTIVITY, T0 + 200 + 60_000));
    assertThat(onRequest).containsExactly(
        new Respond(2, Body.builder().terminate(BindingCondition.HOST_GONE).build()),
        new Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.HOST_GONE));
  }

  /* A session still waiting for its server learns it on the creation request itself. */
  @Test
  void shutdownDuringCreationAnswersTheCreationRequest() {
    Driver d = Driver.create();
    d.start(Driver.CREATION_REQUEST, T0);

    assertThat(d.on(new Shutdown(BindingCondition.SYSTEM_SHUTDOWN, T0 + 100))).containsExactly(
        new DisconnectUpstream(),
        new Cancel(new Timer.Wait(Driver.CREATION_REQUEST)),
        new Respond(Driver.CREATION_REQUEST, SHUTDOWN),
        new Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.SYSTEM_SHUTDOWN));
  }

  /* No request caused a shutdown: every held request learns the condition, oldest first. */
  @Test
  void shutdownWithSeveralHeldRequests() {
    Driver d = Driver.open(Driver.creation().attribute(BodyAttribute.HOLD, "2").build(),
        new SessionLimits(60, 2, 60, 2, 5));
    d.arrive(2, request(RID + 1).build(), T0 + 100);
    d.arrive(3, request(RID + 2).build(), T0 + 200);

    assertThat(d.on(new Shutdown(BindingCondition.SYSTEM_SHUTDOWN, T0 + 300))).containsExactly(
        new DisconnectUpstream(),
        new Cancel(new Timer.Wait(2)),
        new Respond(2, SHUTDOWN),
        new Cancel(new Timer.Wait(3)),
        new Respond(3, Body.builder().terminate(BindingCondition.SYSTEM_SHUTDOWN).build()),
        new Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.SYSTEM_SHUTDOWN));
  }

  /* The connection manager may end a session with another condition the same way. */
  @Test
  void shutdownCarriesTheConditionGiven() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    assertThat(d.on(new Shutdown(BindingCondition.INTERNAL_SERVER_ERROR, T0 + 200))).contains(
        new Respond(2, Body.builder().terminate(BindingCondition.INTERNAL_SERVER_ERROR).build()));
  }

  /* A second shutdown, or upstream news after it, changes nothing. */
  @Test
  void eventsAfterTheShutdownDoNotReplaceIt() {
    Driver d = Driver.open();
    d.on(new Shutdown(BindingCondition.SYSTEM_SHUTDOWN, T0 + 100));

    assertThat(d.on(new Shutdown(BindingCondition.INTERNAL_SERVER_ERROR, T0 + 150))).isEmpty();
    assertThat(d.on(new UpstreamReceived(List.of(message("late")), T0 + 160))).isEmpty();
    assertThat(d.arrive(2, request(RID + 1).build(), T0 + 200))
        .startsWith(new Respond(2, SHUTDOWN));
  }

  /* With several streams the held request cannot carry them all: every stream's stanzas are bounced. */
  @Test
  void endingWithSeveralStreamsBouncesEveryStream() {
    Driver d = openWithTwoStreams();
    Stanza hi = message("hi");
    d.on(new Event.UpstreamReceived(1, List.of(hi), T0 + 120));

    assertThat(d.on(new Shutdown(BindingCondition.HOST_GONE, T0 + 200))).containsExactly(
        new CloseUpstream(0),
        new SendUpstream(1, Bounce.of(List.of(hi))),
        new CloseUpstream(1),
        new Schedule(Timer.INACTIVITY, T0 + 200 + 60_000));
  }

  /* On system-shutdown every stream is left unfinished, each for the server to keep. */
  @Test
  void shutdownWithSeveralStreamsLeavesEveryStreamUnfinished() {
    Driver d = openWithTwoStreams();
    d.on(new Event.UpstreamReceived(1, List.of(message("hi")), T0 + 120));

    assertThat(d.on(new Shutdown(BindingCondition.SYSTEM_SHUTDOWN, T0 + 200))).containsExactly(
        new DisconnectUpstream(0),
        new DisconnectUpstream(1),
        new Schedule(Timer.INACTIVITY, T0 + 200 + 60_000));
  }

  private static Driver openWithTwoStreams() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).attribute(BodyAttribute.TO, Driver.OTHER_DOMAIN).build(), T0 + 100);
    d.on(new Event.UpstreamReceived(1, List.of(Driver.FEATURES), T0 + 110)); // answers 2
    return d;
  }
}
