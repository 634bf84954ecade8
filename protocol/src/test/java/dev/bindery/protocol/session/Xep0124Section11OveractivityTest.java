package dev.bindery.protocol.session;

import static dev.bindery.protocol.session.Driver.RID;
import static dev.bindery.protocol.session.Driver.T0;
import static dev.bindery.protocol.session.Driver.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.session.Action.EndSession;
import dev.bindery.protocol.session.Action.Respond;
import java.util.List;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * XEP-0124 v1.11.2 §11 "Overactivity" (https://xmpp.org/extensions/xep-0124.html#overactive).
 */
class Xep0124Section11OveractivityTest {

  /*
   * "If during any period the client sends a sequence of new requests equal in length to the
   * number specified by the 'requests' attribute, and if the connection manager has not yet
   * responded to any of the requests, and if the last request was empty and did not include
   * either a 'pause' attribute or a 'type' attribute set to "terminate", and if the last two
   * requests arrived within a period shorter than the number of seconds specified by the
   * 'polling' attribute in the session creation response, then the connection manager SHOULD
   * consider that the client is making requests more frequently than it was permitted and
   * terminate the HTTP session and return a 'policy-violation' terminal binding error to the
   * client."
   */
  @Test
  @Disabled("§11 overactivity pending")
  void emptyRequestsFasterThanPollingArePolicyViolation() {
    Driver d = Driver.open(); // requests='2', polling='2'
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    List<Action> actions = d.arrive(3, request(RID + 2).build(), T0 + 600);

    assertThat(actions).startsWith(
        new Respond(3, Body.builder().terminate(BindingCondition.POLICY_VIOLATION).build()));
    assertThat(actions).endsWith(new EndSession(BindingCondition.POLICY_VIOLATION));
  }

  /* "[...] and if the last request did not include either a 'pause' attribute or a 'type' attribute set to "terminate"" */
  @Test
  void terminateRequestIsNeverOveractivity() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    List<Action> actions = d.arrive(3, request(RID + 2).terminate(null).build(), T0 + 200);

    assertThat(actions).endsWith(new EndSession(null));
  }
}
