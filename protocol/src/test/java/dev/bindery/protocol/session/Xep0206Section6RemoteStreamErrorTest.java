package dev.bindery.protocol.session;

import static dev.bindery.protocol.session.Driver.RID;
import static dev.bindery.protocol.session.Driver.STREAM_ERROR;
import static dev.bindery.protocol.session.Driver.T0;
import static dev.bindery.protocol.session.Driver.message;
import static dev.bindery.protocol.session.Driver.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyWriter;
import dev.bindery.protocol.xmpp.Namespaces;
import dev.bindery.protocol.session.Action.Cancel;
import dev.bindery.protocol.session.Action.CloseUpstream;
import dev.bindery.protocol.session.Action.EndSession;
import dev.bindery.protocol.session.Action.Respond;
import dev.bindery.protocol.session.Action.Schedule;
import dev.bindery.protocol.session.Event.TimerFired;
import dev.bindery.protocol.session.Event.UpstreamClosed;
import dev.bindery.protocol.session.Event.UpstreamReceived;
import dev.bindery.protocol.session.Event.UpstreamStreamError;
import dev.bindery.protocol.testing.XmlTree;
import dev.bindery.protocol.xmpp.Stanza;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * XEP-0206 v1.4 §6 "remote-stream-error"
 * (https://xmpp.org/extensions/xep-0206.html#remote-stream-error), with XEP-0124 v1.11.2 §17.2.
 */
class Xep0206Section6RemoteStreamErrorTest {

  private static final Stanza HI = message("I said \"Hi!\"");

  private static Body remoteStreamError(Stanza... payloads) {
    return Body.builder().terminate(BindingCondition.REMOTE_STREAM_ERROR)
        .payloads(List.of(payloads)).build();
  }

  /*
   * "The content of the <body/> element is zero or more stanzas followed by a copy of the
   * <stream:error/> element [...] received from the XMPP server".
   */
  @Test
  void streamErrorTerminatesTheHeldRequestWithACopyOfTheError() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    List<Action> actions = d.on(new UpstreamStreamError(STREAM_ERROR, T0 + 200));

    assertThat(actions).containsExactly(
        new CloseUpstream(),
        new Cancel(new Timer.Wait(2)),
        new Respond(2, remoteStreamError(STREAM_ERROR)),
        new Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.REMOTE_STREAM_ERROR));
    assertThat(d.session.ended()).isTrue();
  }

  /* Stanzas read together with the error travel in the same body, ahead of it. */
  @Test
  void stanzasReadWithTheErrorShareItsBody() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    List<Action> actions =
        d.on(new UpstreamStreamError(0, List.of(HI), STREAM_ERROR, T0 + 200));

    assertThat(actions).contains(new Respond(2, remoteStreamError(HI, STREAM_ERROR)));
    assertThat(actions).endsWith(new EndSession(BindingCondition.REMOTE_STREAM_ERROR));
  }

  /* "[...] zero or more stanzas followed by a copy of the <stream:error/> element" */
  @Test
  void stanzasTheClientHasNotSeenComeBeforeTheError() {
    Driver d = Driver.open();
    d.on(new UpstreamReceived(List.of(HI), T0 + 100));

    List<Action> onError = d.on(new UpstreamStreamError(STREAM_ERROR, T0 + 200));
    List<Action> onRequest = d.arrive(2, request(RID + 1).build(), T0 + 300);

    assertThat(onError).containsExactly(
        new CloseUpstream(),
        new Schedule(Timer.INACTIVITY, T0 + 200 + 60_000));
    assertThat(onRequest).containsExactly(
        new Respond(2, remoteStreamError(HI, STREAM_ERROR)),
        new Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.REMOTE_STREAM_ERROR));
  }

  /* The connection closing after the stream error does not replace the error the client gets. */
  @Test
  void connectionClosingAfterTheStreamErrorKeepsTheStreamError() {
    Driver d = Driver.open();
    d.on(new UpstreamStreamError(STREAM_ERROR, T0 + 200));

    assertThat(d.on(new UpstreamClosed("closed by peer", T0 + 210))).isEmpty();
    assertThat(d.on(new UpstreamReceived(List.of(HI), T0 + 220))).isEmpty();

    assertThat(d.arrive(2, request(RID + 1).build(), T0 + 300))
        .contains(new Respond(2, remoteStreamError(STREAM_ERROR)));
  }

  /*
   * XEP-0206 §2: "A <stream:error/> element (in which case the BOSH <body/> element MUST include
   * the namespace xmlns:stream='http://etherx.jabber.org/streams' and it MUST feature the
   * 'remote-stream-error' terminal error condition)".
   */
  @Test
  void errorBodyDeclaresTheStreamNamespace() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    Respond respond = (Respond) d.on(new UpstreamStreamError(STREAM_ERROR, T0 + 200)).stream()
        .filter(Respond.class::isInstance).findFirst().orElseThrow();

    String xml = BodyWriter.toXml(respond.body());
    assertThat(XmlTree.declarations(xml).get(0)).containsEntry("stream", Namespaces.STREAM);
    assertThat(XmlTree.parse(xml).attribute("condition")).isEqualTo("remote-stream-error");
  }

  /* If the client never comes back, inactivity ends the session quietly. */
  @Test
  void streamErrorNobodyCollectsEndsWithInactivity() {
    Driver d = Driver.open();
    d.on(new UpstreamStreamError(STREAM_ERROR, T0 + 200));

    List<Action> actions = d.on(new TimerFired(Timer.INACTIVITY, T0 + 200 + 60_000));

    assertThat(actions).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.REMOTE_STREAM_ERROR));
  }
}
