package dev.bindery.protocol.session;

import static dev.bindery.protocol.session.Driver.RID;
import static dev.bindery.protocol.session.Driver.T0;
import static dev.bindery.protocol.session.Driver.request;
import static dev.bindery.protocol.session.Driver.stanza;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.protocol.session.Action.Cancel;
import dev.bindery.protocol.session.Action.CloseUpstream;
import dev.bindery.protocol.session.Action.EndSession;
import dev.bindery.protocol.session.Action.Respond;
import dev.bindery.protocol.session.Action.SendUpstream;
import dev.bindery.protocol.session.Event.TimerFired;
import dev.bindery.protocol.session.Event.UpstreamReceived;
import dev.bindery.protocol.testing.XmlTree;
import dev.bindery.protocol.xmpp.Stanza;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * XEP-0206 v1.4 §7 "recipient-unavailable"
 * (https://xmpp.org/extensions/xep-0206.html#recipient-unavailable), as the session applies it.
 */
class Xep0206Section7RecipientUnavailableTest {

  private static final Stanza MESSAGE = stanza("message", "<message xmlns=\"jabber:client\""
      + " from=\"romeo@example.net/orchard\" to=\"juliet@example.com/balcony\" id=\"m1\">"
      + "<body>Art thou there?</body></message>");
  private static final Stanza PRESENCE = stanza("presence", "<presence xmlns=\"jabber:client\""
      + " from=\"romeo@example.net/orchard\"/>");
  private static final Stanza IQ = stanza("iq", "<iq xmlns=\"jabber:client\""
      + " from=\"example.com\" id=\"ping-1\" type=\"get\"><ping xmlns=\"urn:xmpp:ping\"/></iq>");
  private static final Stanza RESULT = stanza("iq", "<iq xmlns=\"jabber:client\""
      + " from=\"example.com\" id=\"r1\" type=\"result\"/>");

  private static final XmlTree MESSAGE_BOUNCE = XmlTree.parse(
      "<message xmlns='jabber:client' type='error' to='romeo@example.net/orchard' id='m1'>"
          + "<body>Art thou there?</body><error type='wait'>"
          + "<recipient-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
          + "</error></message>");
  private static final XmlTree IQ_BOUNCE = XmlTree.parse(
      "<iq xmlns='jabber:client' type='error' to='example.com' id='ping-1'><error type='cancel'>"
          + "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");

  /** The stanzas of the single SendUpstream in {@code actions}, parsed. */
  private static List<XmlTree> bounced(List<Action> actions) {
    return actions.stream().filter(SendUpstream.class::isInstance)
        .map(SendUpstream.class::cast).findFirst().orElseThrow().stanzas().stream()
        .map(s -> XmlTree.parse(s.xml())).toList();
  }

  /*
   * "It is possible that a connection manager will receive a stanza for delivery to a client even
   * though the client connection is no longer active [...]. In this case, the connection manager
   * would return an error to the XMPP server": 1. presence dropped, 2. iq service-unavailable,
   * 3. message recipient-unavailable.
   */
  @Test
  void inactivityBouncesWhatTheClientNeverCollected() {
    Driver d = Driver.open();
    d.on(new UpstreamReceived(List.of(MESSAGE, PRESENCE, IQ, RESULT), T0 + 100));

    List<Action> actions = d.on(new TimerFired(Timer.INACTIVITY, T0 + 60_000));

    assertThat(actions).hasSize(4);
    assertThat(actions.get(0)).isInstanceOf(SendUpstream.class);
    assertThat(((SendUpstream) actions.get(0)).stream()).isZero();
    assertThat(bounced(actions)).containsExactly(MESSAGE_BOUNCE, IQ_BOUNCE);
    assertThat(actions.subList(1, 4)).containsExactly(
        new CloseUpstream(), new Cancel(Timer.INACTIVITY), new EndSession(null));
  }

  /* The same when a client error ends the session: the bounces go before the stream closes. */
  @Test
  void clientErrorBouncesWhatWasWaiting() {
    Driver d = Driver.open();
    d.on(new UpstreamReceived(List.of(MESSAGE), T0 + 100));

    List<Action> actions = d.arrive(2, request(RID + 5).build(), T0 + 200); // beyond the window

    assertThat(actions).hasSize(5);
    assertThat(actions.get(0)).isEqualTo(
        new Respond(2, Body.builder().terminate(BindingCondition.ITEM_NOT_FOUND).build()));
    assertThat(bounced(actions)).containsExactly(MESSAGE_BOUNCE);
    assertThat(actions.subList(2, 5)).containsExactly(new CloseUpstream(), new Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.ITEM_NOT_FOUND));
  }

  /* Only what could not be delivered is bounced: with nothing waiting, the stream just closes. */
  @Test
  void nothingWaitingNothingBounced() {
    Driver d = Driver.open();
    d.on(new UpstreamReceived(List.of(PRESENCE, RESULT), T0 + 100));

    assertThat(d.on(new TimerFired(Timer.INACTIVITY, T0 + 60_000))).containsExactly(
        new CloseUpstream(), new Cancel(Timer.INACTIVITY), new EndSession(null));
  }

  /* A client that terminates collects what was waiting with the acknowledgement (§13): nothing is bounced. */
  @Test
  void clientTerminateDeliversInsteadOfBouncing() {
    Driver d = Driver.open();
    d.on(new UpstreamReceived(List.of(MESSAGE), T0 + 100));

    assertThat(d.arrive(2, request(RID + 1).terminate(null).build(), T0 + 200)).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new CloseUpstream(),
        new Cancel(new Timer.Wait(2)),
        new Respond(2, Body.builder().terminate(null).payload(MESSAGE).build()),
        new Cancel(Timer.INACTIVITY),
        new EndSession(null));
  }

  /* With several streams, each stream's stanzas go back to its own server. */
  @Test
  void eachStreamBouncesToItsOwnServer() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).attribute(BodyAttribute.TO, Driver.OTHER_DOMAIN).build(), T0 + 100);
    d.on(new UpstreamReceived(1, List.of(Driver.FEATURES), T0 + 110)); // answers 2
    d.on(new UpstreamReceived(0, List.of(IQ), T0 + 120));
    d.on(new UpstreamReceived(1, List.of(MESSAGE), T0 + 130));

    List<Action> actions = d.on(new TimerFired(Timer.INACTIVITY, T0 + 110 + 60_000));

    assertThat(actions).extracting(a -> a.getClass().getSimpleName()).containsExactly(
        "SendUpstream", "CloseUpstream", "SendUpstream", "CloseUpstream", "Cancel", "EndSession");
    SendUpstream first = (SendUpstream) actions.get(0);
    SendUpstream second = (SendUpstream) actions.get(2);
    assertThat(first.stream()).isZero();
    assertThat(first.stanzas()).extracting(s -> XmlTree.parse(s.xml())).containsExactly(IQ_BOUNCE);
    assertThat(second.stream()).isEqualTo(1);
    assertThat(second.stanzas()).extracting(s -> XmlTree.parse(s.xml()))
        .containsExactly(MESSAGE_BOUNCE);
    assertThat(actions.subList(1, 2)).containsExactly(new CloseUpstream(0));
    assertThat(actions.subList(3, 6)).containsExactly(
        new CloseUpstream(1), new Cancel(Timer.INACTIVITY), new EndSession(null));
  }
}
