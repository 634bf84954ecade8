package dev.bindery.protocol.session;

import static dev.bindery.protocol.session.Driver.CREATION_REQUEST;
import static dev.bindery.protocol.session.Driver.FEATURES;
import static dev.bindery.protocol.session.Driver.RID;
import static dev.bindery.protocol.session.Driver.T0;
import static dev.bindery.protocol.session.Driver.creation;
import static dev.bindery.protocol.session.Driver.message;
import static dev.bindery.protocol.session.Driver.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.protocol.session.Action.EndSession;
import dev.bindery.protocol.session.Action.Respond;
import dev.bindery.protocol.session.Action.Schedule;
import dev.bindery.protocol.session.Event.UpstreamReceived;
import dev.bindery.protocol.xmpp.Stanza;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * XEP-0124 v1.11.2 §12 "Polling Sessions" (https://xmpp.org/extensions/xep-0124.html#poll).
 */
class Xep0124Section12PollingTest {

  private static final Stanza HELLO = message("hello");

  private static Driver polling() {
    return Driver.open(creation().attribute(BodyAttribute.HOLD, "0").build(),
        SessionLimits.DEFAULTS);
  }

  private static Body creationResponse(Body creation) {
    Driver d = Driver.create(creation, SessionLimits.DEFAULTS);
    d.start(CREATION_REQUEST, T0);
    return Driver.responseTo(CREATION_REQUEST, d.on(new UpstreamReceived(List.of(FEATURES), T0)));
  }

  /* A polling session keeps no request: every poll is answered at once. */
  @Test
  void pollIsAnsweredAtOnce() {
    Driver d = polling();

    assertThat(d.arrive(2, request(RID + 1).build(), T0 + 100))
        .contains(new Respond(2, Body.empty()));
    assertThat(d.arrive(3, request(RID + 2).build(), T0 + 5_000))
        .contains(new Respond(3, Body.empty()));
  }

  /*
   * "If a session will use polling, the connection manager SHOULD specify a higher than normal
   * value for the 'inactivity' attribute (see Inactivity) in its session creation response. The
   * increase SHOULD be greater than the value it specifies for the 'polling' attribute."
   */
  @Test
  void pollingSessionAdvertisesTheLongerInactivity() {
    String polling = Integer.toString(SessionLimits.DEFAULT_POLLING_INACTIVITY);

    assertThat(creationResponse(creation().attribute(BodyAttribute.HOLD, "0").build())
        .attribute(BodyAttribute.INACTIVITY)).hasValue(polling);
    assertThat(creationResponse(creation().attribute(BodyAttribute.WAIT, "0").build())
        .attribute(BodyAttribute.INACTIVITY)).hasValue(polling);
    assertThat(creationResponse(creation().build()).attribute(BodyAttribute.INACTIVITY))
        .hasValue(Integer.toString(SessionLimits.DEFAULT_INACTIVITY));
    assertThat(SessionLimits.DEFAULT_POLLING_INACTIVITY)
        .isGreaterThan(SessionLimits.DEFAULT_INACTIVITY + SessionLimits.DEFAULT_POLLING);
  }

  /* The longer inactivity is the one in force. */
  @Test
  void pollingSessionLivesThroughItsLongerInactivity() {
    Driver d = polling();

    assertThat(d.arrive(2, request(RID + 1).build(), T0 + 100))
        .endsWith(new Schedule(Timer.INACTIVITY, T0 + 100 + 90_000));
    assertThat(d.on(new Event.TimerFired(Timer.INACTIVITY, T0 + 100 + 60_000))).isEmpty();
  }

  /*
   * "If the client sends two consecutive empty new requests (i.e. requests with incremented rid
   * attributes, not repeat requests) within a period shorter than the number of seconds specified
   * by the 'polling' attribute (the shortest allowable polling interval) in the session creation
   * response, and if the connection manager's response to the first request contained no
   * payloads, then upon reception of the second request the connection manager SHOULD terminate
   * the HTTP session and return a 'policy-violation' terminal binding error to the client."
   */
  @Test
  void pollingFasterThanAllowedIsPolicyViolation() {
    Driver d = polling(); // polling='2'
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    List<Action> actions = d.arrive(3, request(RID + 2).build(), T0 + 1_100);

    assertThat(actions).containsExactly(
        new Respond(3, Body.builder().terminate(BindingCondition.POLICY_VIOLATION).build()),
        new Action.CloseUpstream(),
        new Action.Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.POLICY_VIOLATION));
  }

  /* "[...] within a period shorter than the number of seconds specified by the 'polling' attribute" */
  @Test
  void pollingAtThePollingIntervalIsFine() {
    Driver d = polling();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    assertThat(d.arrive(3, request(RID + 2).build(), T0 + 2_100))
        .contains(new Respond(3, Body.empty()))
        .noneMatch(EndSession.class::isInstance);
  }

  /* "[...] and if the connection manager's response to the first request contained no payloads" */
  @Test
  void fastPollAfterAResponseWithPayloadsIsFine() {
    Driver d = polling();
    d.on(new UpstreamReceived(List.of(HELLO), T0 + 50));
    assertThat(d.arrive(2, request(RID + 1).build(), T0 + 100))
        .contains(new Respond(2, Body.builder().payload(HELLO).build()));

    assertThat(d.arrive(3, request(RID + 2).build(), T0 + 200))
        .noneMatch(EndSession.class::isInstance);
  }

  /* "two consecutive empty new requests": a request with a payload in between breaks the pair. */
  @Test
  void fastRequestsWithPayloadsAreFine() {
    Driver d = polling();
    d.arrive(2, request(RID + 1, HELLO).build(), T0 + 100);

    assertThat(d.arrive(3, request(RID + 2).build(), T0 + 200))
        .noneMatch(EndSession.class::isInstance);
    assertThat(d.arrive(4, request(RID + 3, HELLO).build(), T0 + 300))
        .noneMatch(EndSession.class::isInstance);
  }

  /* "(i.e. requests with incremented rid attributes, not repeat requests)" */
  @Test
  void repeatedPollsAreNotNewRequests() {
    Driver d = polling();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    assertThat(d.arrive(3, request(RID + 1).build(), T0 + 200))
        .containsExactly(new Respond(3, Body.empty()));
    assertThat(d.session.ended()).isFalse();
  }

  /* A pause request (§10) is not an empty poll. */
  @Test
  void pauseRightAfterAPollIsFine() {
    Driver d = polling();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    assertThat(d.arrive(3, request(RID + 2).attribute(BodyAttribute.PAUSE, "60").build(),
        T0 + 200)).noneMatch(EndSession.class::isInstance);
  }
}
