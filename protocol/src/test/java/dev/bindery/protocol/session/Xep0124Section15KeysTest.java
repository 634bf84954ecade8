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
 * XEP-0124 v1.11.2 §15 "Protecting Insecure Sessions" (https://xmpp.org/extensions/xep-0124.html#keys).
 */
class Xep0124Section15KeysTest {

  /*
   * "If the values do not match (or if it receives a request without a 'key' attribute and the
   * 'newkey' or 'key' attribute of the previous request was set), then the connection manager
   * MUST NOT process the element, MUST terminate the session, and MUST return an
   * 'item-not-found' terminal binding error."
   */
  @Test
  @Disabled("§15 keys pending")
  void wrongKeyTerminatesWithItemNotFound() {
    // the client reveals a key whose SHA-1 is not the newkey it sent before
    Driver d = Driver.open(creation()
        .attribute(BodyAttribute.NEWKEY, "0e6dac5b0a2bbd7b2fb3a2f2d9d0dbbb3a8f6b24").build(),
        SessionLimits.DEFAULTS);

    List<Action> actions = d.arrive(2,
        request(RID + 1).attribute(BodyAttribute.KEY, "not-the-preimage").build(), T0 + 100);

    assertThat(actions).startsWith(
        new Respond(2, Body.builder().terminate(BindingCondition.ITEM_NOT_FOUND).build()));
    assertThat(actions).endsWith(new EndSession(BindingCondition.ITEM_NOT_FOUND));
  }
}
