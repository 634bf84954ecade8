package dev.bindery.protocol.session;

import static dev.bindery.protocol.session.Driver.RID;
import static dev.bindery.protocol.session.Driver.T0;
import static dev.bindery.protocol.session.Driver.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.protocol.session.Action.Cancel;
import dev.bindery.protocol.session.Action.Schedule;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * XEP-0124 v1.11.2 §16 "Multiple Streams" (https://xmpp.org/extensions/xep-0124.html#multi),
 * which Bindery does not support.
 */
class Xep0124Section16MultipleStreamsTest {

  /*
   * "If the connection manager did not indicate its support for multiple streams at the start of
   * the session, then it MUST ignore the extra attributes and treat the request as a normal empty
   * request for payloads"
   */
  @Test
  void addStreamRequestIsAnOrdinaryEmptyRequest() {
    Driver d = Driver.open();

    List<Action> actions = d.arrive(2, request(RID + 1)
        .attribute(BodyAttribute.TO, "other.example.com")
        .attribute(BodyAttribute.XML_LANG, "en")
        .attribute(BodyAttribute.XMPP_VERSION, "1.0")
        .build(), T0 + 100);

    assertThat(actions).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new Schedule(new Timer.Wait(2), T0 + 100 + 60_000));
  }

  /*
   * "If a connection manager supports the multi-streams feature, it MUST include a 'stream'
   * attribute in its Session Creation Response. If a client does not receive the 'stream'
   * attribute then it MUST assume that the connection manager does not support the feature."
   */
  @Test
  void creationResponseNamesNoStream() {
    Driver d = Driver.create();
    d.start(Driver.CREATION_REQUEST, T0);

    List<Action> actions = d.on(new Event.UpstreamReceived(List.of(Driver.FEATURES), T0));

    assertThat(actions).filteredOn(Action.Respond.class::isInstance)
        .singleElement()
        .satisfies(a -> assertThat(((Action.Respond) a).body().has(BodyAttribute.STREAM)).isFalse());
  }
}
