package dev.bindery.protocol.session;

import static dev.bindery.protocol.session.Driver.RID;
import static dev.bindery.protocol.session.Driver.T0;
import static dev.bindery.protocol.session.Driver.message;
import static dev.bindery.protocol.session.Driver.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.xmpp.Namespaces;
import dev.bindery.protocol.session.Action.Cancel;
import dev.bindery.protocol.session.Action.CloseUpstream;
import dev.bindery.protocol.session.Action.EndSession;
import dev.bindery.protocol.session.Action.Respond;
import dev.bindery.protocol.session.Action.SendUpstream;
import dev.bindery.protocol.session.Event.TimerFired;
import dev.bindery.protocol.session.Event.UpstreamClosed;
import dev.bindery.protocol.session.Event.UpstreamReceived;
import dev.bindery.protocol.xmpp.Stanza;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * XEP-0124 v1.11.2 §13 "Terminating the BOSH Session"
 * (https://xmpp.org/extensions/xep-0124.html#terminate).
 */
class Xep0124Section13TerminateTest {

  private static final Stanza UNAVAILABLE = new Stanza(Namespaces.JABBER_CLIENT, "presence",
      "<presence xmlns=\"jabber:client\" type=\"unavailable\"/>");
  private static final Body TERMINATE = Body.builder().terminate(null).build();

  /*
   * "The termination request MAY include one or more payloads that the connection manager MUST
   * forward to the server to ensure graceful logoff."
   */
  @Test
  void terminatePayloadIsForwardedBeforeTheStreamCloses() {
    Driver d = Driver.open();

    List<Action> actions = d.arrive(2, request(RID + 1, UNAVAILABLE).terminate(null).build(),
        T0 + 100);

    assertThat(actions).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new SendUpstream(List.of(UNAVAILABLE)),
        new CloseUpstream(),
        new Cancel(new Timer.Wait(2)),
        new Respond(2, TERMINATE),
        new Cancel(Timer.INACTIVITY),
        new EndSession(null));
    assertThat(d.session.ended()).isTrue();
  }

  /*
   * "The connection manager SHOULD acknowledge the session termination on the oldest connection
   * with a HTTP 200 OK containing a <body/> element of the type 'terminate'. On all other open
   * connections, the connection manager SHOULD respond with an HTTP 200 OK containing an empty
   * <body/> element."
   */
  @Test
  void oldestPendingRequestAcknowledgesTheTerminationAndTheOthersGetEmptyBodies() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    List<Action> actions = d.arrive(3, request(RID + 2, UNAVAILABLE).terminate(null).build(),
        T0 + 200);

    assertThat(actions).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new SendUpstream(List.of(UNAVAILABLE)),
        new CloseUpstream(),
        new Cancel(new Timer.Wait(2)),
        new Respond(2, TERMINATE),
        new Cancel(new Timer.Wait(3)),
        new Respond(3, Body.empty()),
        new Cancel(Timer.INACTIVITY),
        new EndSession(null));
  }

  /* Whatever the server sent that the client has not seen yet goes out with the acknowledgement. */
  @Test
  void pendingServerPayloadGoesOutWithTheAcknowledgement() {
    Driver d = Driver.open();
    Stanza pending = message("last words");
    d.on(new UpstreamReceived(List.of(pending), T0 + 50));

    List<Action> actions = d.arrive(2, request(RID + 1).terminate(null).build(), T0 + 100);

    assertThat(actions).contains(
        new Respond(2, Body.builder().terminate(null).payload(pending).build()));
  }

  /* "Upon receiving the response, the client MUST consider the HTTP session to have been terminated." */
  @Test
  void laterRequestsGetItemNotFound() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).terminate(null).build(), T0 + 100);

    assertThat(d.arrive(3, request(RID + 2).build(), T0 + 200)).containsExactly(
        new Respond(3, Body.builder().terminate(BindingCondition.ITEM_NOT_FOUND).build()));
    // a resent terminate request finds no session either
    assertThat(d.arrive(4, request(RID + 1).terminate(null).build(), T0 + 300)).containsExactly(
        new Respond(4, Body.builder().terminate(BindingCondition.ITEM_NOT_FOUND).build()));
  }

  /* Once ended, the session ignores whatever else happens to it. */
  @Test
  void eventsAfterTheEndDoNothing() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).terminate(null).build(), T0 + 100);

    assertThat(d.on(new UpstreamReceived(List.of(message("late")), T0 + 150))).isEmpty();
    assertThat(d.on(new UpstreamClosed("closed", T0 + 160))).isEmpty();
    assertThat(d.on(new TimerFired(Timer.INACTIVITY, T0 + 200_000))).isEmpty();
    assertThat(d.on(new TimerFired(new Timer.Wait(2), T0 + 200_000))).isEmpty();
  }

  /* A terminate request that arrives early waits for its turn like any other (§14). */
  @Test
  void earlyTerminateWaitsForTheRequestsBeforeIt() {
    Driver d = Driver.open();
    Stanza hello = message("hello");
    assertThat(d.arrive(3, request(RID + 2, UNAVAILABLE).terminate(null).build(), T0 + 100))
        .isEmpty();

    List<Action> actions = d.arrive(2, request(RID + 1, hello).build(), T0 + 200);

    assertThat(actions).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new SendUpstream(List.of(hello)),
        new Action.Schedule(new Timer.Wait(2), T0 + 200 + 60_000),
        new Cancel(Timer.INACTIVITY),
        new SendUpstream(List.of(UNAVAILABLE)),
        new CloseUpstream(),
        new Cancel(new Timer.Wait(2)),
        new Respond(2, TERMINATE),
        new Cancel(new Timer.Wait(3)),
        new Respond(3, Body.empty()),
        new Cancel(Timer.INACTIVITY),
        new EndSession(null));
  }
}
