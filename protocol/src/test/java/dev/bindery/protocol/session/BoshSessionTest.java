package dev.bindery.protocol.session;

import static dev.bindery.protocol.session.Driver.CREATION_REQUEST;
import static dev.bindery.protocol.session.Driver.DOMAIN;
import static dev.bindery.protocol.session.Driver.FEATURES;
import static dev.bindery.protocol.session.Driver.RID;
import static dev.bindery.protocol.session.Driver.SID;
import static dev.bindery.protocol.session.Driver.STREAM_ID;
import static dev.bindery.protocol.session.Driver.SUCCESS;
import static dev.bindery.protocol.session.Driver.T0;
import static dev.bindery.protocol.session.Driver.creation;
import static dev.bindery.protocol.session.Driver.message;
import static dev.bindery.protocol.session.Driver.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.protocol.xmpp.Namespaces;
import dev.bindery.protocol.session.Action.Cancel;
import dev.bindery.protocol.session.Action.CloseUpstream;
import dev.bindery.protocol.session.Action.EndSession;
import dev.bindery.protocol.session.Action.OpenUpstream;
import dev.bindery.protocol.session.Action.Respond;
import dev.bindery.protocol.session.Action.RestartUpstream;
import dev.bindery.protocol.session.Action.Schedule;
import dev.bindery.protocol.session.Action.SendUpstream;
import dev.bindery.protocol.session.Event.TimerFired;
import dev.bindery.protocol.session.Event.UpstreamOpened;
import dev.bindery.protocol.session.Event.UpstreamReceived;
import dev.bindery.protocol.xmpp.Stanza;
import dev.bindery.protocol.xmpp.StreamHeader;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoshSessionTest {

  private static final StreamHeader HEADER = new StreamHeader(DOMAIN, null, "1.0", "en");

  @Test
  void wholeSessionFromCreationToTerminate() {
    Stanza auth = new Stanza(Namespaces.SASL, "auth",
        "<auth xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\" mechanism=\"PLAIN\">AA==</auth>");
    Stanza hello = message("hello");
    Stanza reply = message("reply");
    Stanza bye = new Stanza(Namespaces.JABBER_CLIENT, "presence",
        "<presence xmlns=\"jabber:client\" type=\"unavailable\"/>");
    Driver d = Driver.create();

    assertThat(d.start(CREATION_REQUEST, T0)).containsExactly(
        new OpenUpstream(HEADER),
        new Schedule(new Timer.Wait(CREATION_REQUEST), T0 + 60_000));
    assertThat(d.on(new UpstreamOpened(STREAM_ID, DOMAIN, "1.0", T0 + 10))).isEmpty();
    assertThat(d.on(new UpstreamReceived(List.of(FEATURES), T0 + 20))).containsExactly(
        new Cancel(new Timer.Wait(CREATION_REQUEST)),
        new Respond(CREATION_REQUEST, Body.builder()
            .attribute(BodyAttribute.SID, SID)
            .attribute(BodyAttribute.WAIT, "60")
            .attribute(BodyAttribute.REQUESTS, "2")
            .attribute(BodyAttribute.HOLD, "1")
            .attribute(BodyAttribute.INACTIVITY, "60")
            .attribute(BodyAttribute.POLLING, "2")
            .attribute(BodyAttribute.MAXPAUSE, "120")
            .attribute(BodyAttribute.VER, "1.6")
            .attribute(BodyAttribute.STREAM, Driver.FIRST_STREAM)
            .attribute(BodyAttribute.FROM, DOMAIN)
            .attribute(BodyAttribute.XMPP_VERSION, "1.0")
            .attribute(BodyAttribute.XMPP_RESTARTLOGIC, "true")
            .attribute(BodyAttribute.AUTHID, STREAM_ID)
            .payload(FEATURES)
            .build()),
        new Schedule(Timer.INACTIVITY, T0 + 20 + 60_000));

    assertThat(d.arrive(2, request(RID + 1, auth).build(), T0 + 100)).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new SendUpstream(List.of(auth)),
        new Schedule(new Timer.Wait(2), T0 + 100 + 60_000));
    assertThat(d.on(new UpstreamReceived(List.of(SUCCESS), T0 + 150))).containsExactly(
        new Cancel(new Timer.Wait(2)),
        new Respond(2, Body.builder().payload(SUCCESS).build()),
        new Schedule(Timer.INACTIVITY, T0 + 150 + 60_000));

    assertThat(d.arrive(3, request(RID + 2).attribute(BodyAttribute.XMPP_RESTART, "true").build(),
        T0 + 200)).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new RestartUpstream(HEADER),
        new Schedule(new Timer.Wait(3), T0 + 200 + 60_000));
    assertThat(d.on(new UpstreamOpened("stream-2", DOMAIN, "1.0", T0 + 210))).isEmpty();
    assertThat(d.on(new UpstreamReceived(List.of(FEATURES), T0 + 220))).containsExactly(
        new Cancel(new Timer.Wait(3)),
        new Respond(3, Body.builder().payload(FEATURES).build()),
        new Schedule(Timer.INACTIVITY, T0 + 220 + 60_000));

    assertThat(d.arrive(4, request(RID + 3).build(), T0 + 300)).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new Schedule(new Timer.Wait(4), T0 + 300 + 60_000));
    assertThat(d.arrive(5, request(RID + 4, hello).build(), T0 + 400)).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new SendUpstream(List.of(hello)),
        new Schedule(new Timer.Wait(5), T0 + 400 + 60_000),
        new Cancel(new Timer.Wait(4)),
        new Respond(4, Body.empty()));
    assertThat(d.on(new UpstreamReceived(List.of(reply), T0 + 500))).containsExactly(
        new Cancel(new Timer.Wait(5)),
        new Respond(5, Body.builder().payload(reply).build()),
        new Schedule(Timer.INACTIVITY, T0 + 500 + 60_000));

    assertThat(d.arrive(6, request(RID + 5, bye).terminate(null).build(), T0 + 600))
        .containsExactly(
            new Cancel(Timer.INACTIVITY),
            new SendUpstream(List.of(bye)),
            new CloseUpstream(),
            new Cancel(new Timer.Wait(6)),
            new Respond(6, Body.builder().terminate(null).build()),
            new Cancel(Timer.INACTIVITY),
            new EndSession(null));
    assertThat(d.session.ended()).isTrue();
  }

  @Test
  void startingTwiceIsAnError() {
    Driver d = Driver.create();
    d.start(CREATION_REQUEST, T0);

    assertThatThrownBy(() -> d.session.start(7, T0 + 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("session already started: " + SID);
  }

  @Test
  void startingAfterTheCreationResponseIsAnError() {
    Driver d = Driver.open();

    assertThatThrownBy(() -> d.session.start(7, T0 + 1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void exposesTheNegotiatedParameters() {
    Driver d = Driver.create(creation()
        .attribute(BodyAttribute.WAIT, "45")
        .attribute(BodyAttribute.HOLD, "3")
        .attribute(BodyAttribute.CONTENT, "text/plain")
        .build(), new SessionLimits(30, 2, 60, 2, 5));

    assertThat(d.session.sid()).isEqualTo(SID);
    assertThat(d.session.waitSeconds()).isEqualTo(30);
    assertThat(d.session.hold()).isEqualTo(2);
    assertThat(d.session.contentType()).isEqualTo("text/plain");
    assertThat(d.session.legacy()).isFalse();
  }

  @Test
  void waitTimerOfAnUnknownRequestIsIgnored() {
    Driver d = Driver.open();

    assertThat(d.on(new TimerFired(new Timer.Wait(42), T0 + 100))).isEmpty();
  }

  @Test
  void actionsAreHandedOutOnce() {
    Driver d = Driver.open();
    List<Action> first = d.arrive(2, request(RID + 1).build(), T0 + 100);

    List<Action> second = d.on(new TimerFired(new Timer.Wait(99), T0 + 200));

    assertThat(first).isNotEmpty();
    assertThat(second).isEmpty();
  }

  @Test
  void toStringShowsStateButNoPayload() {
    Driver d = Driver.open();
    d.on(new UpstreamReceived(List.of(message("secret text")), T0 + 100));

    assertThat(d.session.toString())
        .contains(SID)
        .contains("OPEN")
        .contains("buffered=1")
        .doesNotContain("secret text");
  }
}
