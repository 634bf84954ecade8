package dev.bindery.protocol.session;

import static dev.bindery.protocol.session.Driver.DOMAIN;
import static dev.bindery.protocol.session.Driver.RID;
import static dev.bindery.protocol.session.Driver.SUCCESS;
import static dev.bindery.protocol.session.Driver.T0;
import static dev.bindery.protocol.session.Driver.message;
import static dev.bindery.protocol.session.Driver.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.protocol.xmpp.Namespaces;
import dev.bindery.protocol.session.Action.Cancel;
import dev.bindery.protocol.session.Action.Respond;
import dev.bindery.protocol.session.Action.RestartUpstream;
import dev.bindery.protocol.session.Action.Schedule;
import dev.bindery.protocol.session.Action.SendUpstream;
import dev.bindery.protocol.session.Event.UpstreamOpened;
import dev.bindery.protocol.session.Event.UpstreamReceived;
import dev.bindery.protocol.xmpp.Stanza;
import dev.bindery.protocol.xmpp.StreamHeader;
import java.util.List;
import javax.xml.namespace.QName;
import org.junit.jupiter.api.Test;

/**
 * XEP-0206 v1.4 §5 "Authentication and Resource Binding"
 * (https://xmpp.org/extensions/xep-0206.html#preconditions-sasl): the stream restart.
 */
class Xep0206Section5RestartTest {

  private static final Stanza AUTH = new Stanza(Namespaces.SASL, "auth",
      "<auth xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\" mechanism=\"PLAIN\">AGp1bGlldAByMG0zMG8=</auth>");
  private static final Stanza BIND_FEATURES = new Stanza(Namespaces.STREAM, "features",
      "<stream:features xmlns:stream=\"http://etherx.jabber.org/streams\">"
          + "<bind xmlns=\"urn:ietf:params:xml:ns:xmpp-bind\"/></stream:features>");

  private static Body.Builder restart(long rid) {
    return request(rid)
        .attribute(BodyAttribute.TO, DOMAIN)
        .attribute(BodyAttribute.XML_LANG, "en")
        .attribute(BodyAttribute.XMPP_RESTART, "true");
  }

  /** A session whose client has authenticated: SASL success delivered on RID + 1. */
  private static Driver authenticated() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1, AUTH).build(), T0 + 100);
    d.on(new UpstreamReceived(List.of(SUCCESS), T0 + 200));
    return d;
  }

  /*
   * "Upon receiving a restart request, the connection manager MUST consider the previous stream
   * with the XMPP server to be closed. It MUST then initiate a new stream by sending an opening
   * <stream:stream> tag over the same TCP connection to the XMPP server."
   */
  @Test
  void restartRequestRestartsTheUpstreamStreamAndIsHeld() {
    Driver d = authenticated();

    List<Action> actions = d.arrive(3, restart(RID + 2).build(), T0 + 300);

    assertThat(actions).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new RestartUpstream(new StreamHeader(DOMAIN, null, "1.0", "en")),
        new Schedule(new Timer.Wait(3), T0 + 300 + 60_000));
  }

  /*
   * "If the connection manager receives a <stream:features/> element from the XMPP server, it
   * MUST forward that element to the client".
   */
  @Test
  void newFeaturesAnswerTheRestartRequest() {
    Driver d = authenticated();
    d.arrive(3, restart(RID + 2).build(), T0 + 300);
    assertThat(d.on(new UpstreamOpened("stream-2", DOMAIN, "1.0", T0 + 400))).isEmpty();

    List<Action> actions = d.on(new UpstreamReceived(List.of(BIND_FEATURES), T0 + 500));

    // no authid: that was the first stream's id, sent once (XEP-0206 §4)
    assertThat(actions).containsExactly(
        new Cancel(new Timer.Wait(3)),
        new Respond(3, Body.builder().payload(BIND_FEATURES).build()),
        new Schedule(Timer.INACTIVITY, T0 + 500 + 60_000));
  }

  /*
   * "The BOSH <body/> element SHOULD be empty (i.e., not contain an XML stanza). However, if the
   * client includes an XML stanza in the body, the connection manager SHOULD ignore it."
   */
  @Test
  void stanzasInARestartRequestAreIgnored() {
    Driver d = authenticated();

    List<Action> actions = d.arrive(3, restart(RID + 2).payload(message("ignored")).build(),
        T0 + 300);

    assertThat(actions).noneMatch(SendUpstream.class::isInstance);
    assertThat(actions).contains(new RestartUpstream(new StreamHeader(DOMAIN, null, "1.0", "en")));
  }

  /* Only xmpp:restart='true' (in the urn:xmpp:xbosh namespace) restarts. */
  @Test
  void otherRestartValuesAreOrdinaryRequests() {
    Driver d = authenticated();

    List<Action> actions = d.arrive(3, request(RID + 2)
        .attribute(BodyAttribute.XMPP_RESTART, "false")
        .attribute(new QName("restart"), "true")
        .build(), T0 + 300);

    assertThat(actions).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new Schedule(new Timer.Wait(3), T0 + 300 + 60_000));
  }

  /* The whole exchange of XEP-0206 §5, examples 4 to 9, as the session sees it. */
  @Test
  void saslThenRestartThenBind() {
    Driver d = Driver.open();
    assertThat(d.arrive(2, request(RID + 1, AUTH).build(), T0 + 100))
        .contains(new SendUpstream(List.of(AUTH)));
    assertThat(d.on(new UpstreamReceived(List.of(SUCCESS), T0 + 200)))
        .contains(new Respond(2, Body.builder().payload(SUCCESS).build()));
    assertThat(d.arrive(3, restart(RID + 2).build(), T0 + 300))
        .contains(new RestartUpstream(new StreamHeader(DOMAIN, null, "1.0", "en")));
    d.on(new UpstreamOpened("stream-2", DOMAIN, "1.0", T0 + 350));
    assertThat(d.on(new UpstreamReceived(List.of(BIND_FEATURES), T0 + 400)))
        .contains(new Respond(3, Body.builder().payload(BIND_FEATURES).build()));
  }
}
