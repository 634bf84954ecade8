package dev.bindery.protocol.session;

import static dev.bindery.protocol.session.Driver.RID;
import static dev.bindery.protocol.session.Driver.T0;
import static dev.bindery.protocol.session.Driver.creation;
import static dev.bindery.protocol.session.Driver.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.protocol.session.Action.EndSession;
import dev.bindery.protocol.session.Action.Respond;
import java.util.List;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * XEP-0124 v1.11.2 §12 "Polling Sessions" (https://xmpp.org/extensions/xep-0124.html#poll).
 */
class Xep0124Section12PollingTest {

  private static Driver polling() {
    return Driver.open(creation().attribute(BodyAttribute.HOLD, "0").build(),
        SessionLimits.DEFAULTS);
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
   * "If the client sends two consecutive empty new requests (i.e. requests with incremented rid
   * attributes, not repeat requests) within a period shorter than the number of seconds specified
   * by the 'polling' attribute (the shortest allowable polling interval) in the session creation
   * response, and if the connection manager's response to the first request contained no
   * payloads, then upon reception of the second request the connection manager SHOULD terminate
   * the HTTP session and return a 'policy-violation' terminal binding error to the client."
   */
  @Test
  @Disabled("§12 polling frequency pending")
  void pollingFasterThanAllowedIsPolicyViolation() {
    Driver d = polling(); // polling='2'
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    List<Action> actions = d.arrive(3, request(RID + 2).build(), T0 + 1_100);

    assertThat(actions).startsWith(
        new Respond(3, Body.builder().terminate(BindingCondition.POLICY_VIOLATION).build()));
    assertThat(actions).endsWith(new EndSession(BindingCondition.POLICY_VIOLATION));
  }
}
