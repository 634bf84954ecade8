package dev.bindery.protocol.session;

import static dev.bindery.protocol.session.Driver.RID;
import static dev.bindery.protocol.session.Driver.T0;
import static dev.bindery.protocol.session.Driver.message;
import static dev.bindery.protocol.session.Driver.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.session.Action.Cancel;
import dev.bindery.protocol.session.Action.CloseUpstream;
import dev.bindery.protocol.session.Action.EndSession;
import dev.bindery.protocol.session.Action.Respond;
import dev.bindery.protocol.session.Action.Schedule;
import dev.bindery.protocol.session.Event.Shutdown;
import dev.bindery.protocol.session.Event.UpstreamReceived;
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
  void shutdownTerminatesTheHeldRequestAndClosesTheServerStream() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    List<Action> actions = d.on(new Shutdown(BindingCondition.SYSTEM_SHUTDOWN, T0 + 200));

    assertThat(actions).containsExactly(
        new CloseUpstream(),
        new Cancel(new Timer.Wait(2)),
        new Respond(2, SHUTDOWN),
        new Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.SYSTEM_SHUTDOWN));
  }

  /* Stanzas the client has not collected yet go out with the condition, not into the void. */
  @Test
  void pendingStanzasTravelWithTheShutdownOnTheNextRequest() {
    Driver d = Driver.open();
    Stanza hi = message("hi");
    d.on(new UpstreamReceived(List.of(hi), T0 + 100));

    List<Action> onShutdown = d.on(new Shutdown(BindingCondition.SYSTEM_SHUTDOWN, T0 + 200));
    List<Action> onRequest = d.arrive(2, request(RID + 1).build(), T0 + 300);

    assertThat(onShutdown).containsExactly(
        new CloseUpstream(),
        new Schedule(Timer.INACTIVITY, T0 + 200 + 60_000));
    assertThat(onRequest).containsExactly(
        new Respond(2, Body.builder().terminate(BindingCondition.SYSTEM_SHUTDOWN)
            .payload(hi).build()),
        new Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.SYSTEM_SHUTDOWN));
  }
}
