package dev.bindery.protocol.session;

import static dev.bindery.protocol.session.Driver.CREATION_REQUEST;
import static dev.bindery.protocol.session.Driver.FEATURES;
import static dev.bindery.protocol.session.Driver.RID;
import static dev.bindery.protocol.session.Driver.T0;
import static dev.bindery.protocol.session.Driver.message;
import static dev.bindery.protocol.session.Driver.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.session.Action.Cancel;
import dev.bindery.protocol.session.Action.Drop;
import dev.bindery.protocol.session.Action.Schedule;
import dev.bindery.protocol.session.Action.SendUpstream;
import dev.bindery.protocol.session.Event.RequestArrived;
import dev.bindery.protocol.session.Event.UpstreamOpened;
import dev.bindery.protocol.session.Event.UpstreamReceived;
import dev.bindery.protocol.xmpp.Stanza;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * XEP-0124 v1.11.2 §19 "Security Considerations"
 * (https://xmpp.org/extensions/xep-0124.html#security).
 */
class Xep0124Section19SecurityTest {

  private static final Stanza HELLO = message("hello");

  /** A session created over HTTPS, past its creation. */
  private static Driver secure() {
    Driver d = Driver.create(Driver.creation().build(), SessionLimits.DEFAULTS);
    d.start(CREATION_REQUEST, true, T0);
    d.on(new UpstreamOpened(Driver.STREAM_ID, Driver.DOMAIN, "1.0", T0));
    d.on(new UpstreamReceived(List.of(FEATURES), T0));
    return d;
  }

  /*
   * "If the client's session with the connection manager was created over a secure connection,
   * then all subsequent connections to the connection manager for that session MUST be secure.
   * [...] If the connection manager receives a request for a "secure session" over an
   * unencrypted connection [...], then it SHOULD simply close the connection and SHOULD NOT
   * terminate the session, since doing so would enable a denial of service attack."
   */
  @Test
  void insecureRequestInASecureSessionIsDroppedAndTheSessionKept() {
    Driver d = secure();

    List<Action> actions = d.on(new RequestArrived(2, request(RID + 1, HELLO).build(), false,
        T0 + 100));

    assertThat(actions).containsExactly(new Drop(2));
    assertThat(d.session.ended()).isFalse();
  }

  /* The dropped request is not processed: its rid is still free for the real client. */
  @Test
  void droppedRequestLeavesTheRidForTheClient() {
    Driver d = secure();
    d.on(new RequestArrived(2, request(RID + 1, message("forged")).build(), false, T0 + 100));

    assertThat(d.on(new RequestArrived(3, request(RID + 1, HELLO).build(), true, T0 + 200)))
        .containsExactly(
            new Cancel(Timer.INACTIVITY),
            new SendUpstream(List.of(HELLO)),
            new Schedule(new Timer.Wait(3), T0 + 200 + 60_000));
  }

  /* A forged terminate request cannot end the session either. */
  @Test
  void insecureTerminateCannotEndASecureSession() {
    Driver d = secure();

    assertThat(d.on(new RequestArrived(2, request(RID + 1).terminate(null).build(), false,
        T0 + 100))).containsExactly(new Drop(2));
    assertThat(d.session.ended()).isFalse();
  }

  /* A session created over plain HTTP takes requests over either. */
  @Test
  void insecureSessionAcceptsBoth() {
    Driver d = Driver.open();

    assertThat(d.on(new RequestArrived(2, request(RID + 1, HELLO).build(), false, T0 + 100)))
        .contains(new SendUpstream(List.of(HELLO)));
    assertThat(d.on(new RequestArrived(3, request(RID + 2, HELLO).build(), true, T0 + 200)))
        .contains(new SendUpstream(List.of(HELLO)), new Action.Respond(2, Body.empty()));
  }
}
