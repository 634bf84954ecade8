package dev.bindery.protocol.session;

import static dev.bindery.protocol.session.Driver.FEATURES;
import static dev.bindery.protocol.session.Driver.RID;
import static dev.bindery.protocol.session.Driver.T0;
import static dev.bindery.protocol.session.Driver.message;
import static dev.bindery.protocol.session.Driver.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.xmpp.Namespaces;
import dev.bindery.protocol.session.Action.Respond;
import dev.bindery.protocol.session.Action.SendUpstream;
import dev.bindery.protocol.session.Event.UpstreamReceived;
import dev.bindery.protocol.xmpp.Stanza;
import java.util.List;
import org.junit.jupiter.api.Test;

/** XEP-0206 v1.4 §2 "&lt;body/&gt; Wrapper" and §4 (https://xmpp.org/extensions/xep-0206.html). */
class Xep0206Section2WrapperTest {

  private static final Stanza HI = message("hi");

  /*
   * "[...] the use of TLS negotiation elements inside BOSH is NOT RECOMMENDED": the connection
   * manager owns the server stream's TLS. And §4: "the use of [...] Stream Compression [...] is
   * NOT RECOMMENDED". Such elements from a client are not relayed; the rest of the body is.
   */
  @Test
  void tlsAndCompressionNegotiationFromTheClientIsNotRelayed() {
    Driver d = Driver.open();
    Stanza starttls = new Stanza(Namespaces.TLS, "starttls",
        "<starttls xmlns=\"urn:ietf:params:xml:ns:xmpp-tls\"/>");
    Stanza compress = new Stanza("http://jabber.org/protocol/compress", "compress",
        "<compress xmlns=\"http://jabber.org/protocol/compress\"><method>zlib</method>"
            + "</compress>");

    List<Action> actions =
        d.arrive(2, request(RID + 1, starttls, compress, HI).build(), T0 + 100);

    assertThat(actions).contains(new SendUpstream(List.of(HI)));
    assertThat(actions).filteredOn(SendUpstream.class::isInstance).hasSize(1);
  }

  /*
   * §2.1: "each non-empty <body/> element SHOULD contain one of the following: a complete
   * <stream:features/> element [...]; a complete element used for SASL negotiation [...]; one or
   * more complete XML stanzas [...]". Elements read together are cut into such bodies, in order.
   */
  @Test
  void saslElementTravelsAloneAndTheStanzasAfterItInTheNextBody() {
    Driver d = Driver.open();
    Stanza success = new Stanza(Namespaces.SASL, "success",
        "<success xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"/>");
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    assertThat(d.on(new UpstreamReceived(0, List.of(success, HI), T0 + 200)))
        .contains(new Respond(2, Body.builder().payload(success).build()));
    assertThat(d.arrive(3, request(RID + 2).build(), T0 + 300))
        .contains(new Respond(3, Body.builder().payload(HI).build()));
  }

  @Test
  void featuresTravelAloneBetweenRunsOfStanzas() {
    Driver d = Driver.open();
    Stanza bye = message("bye");
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    assertThat(d.on(new UpstreamReceived(0, List.of(HI, bye, FEATURES, HI), T0 + 200)))
        .contains(new Respond(2, Body.builder().payload(HI).payload(bye).build()));
    assertThat(d.arrive(3, request(RID + 2).build(), T0 + 300))
        .contains(new Respond(3, Body.builder().payload(FEATURES).build()));
    assertThat(d.arrive(4, request(RID + 3).build(), T0 + 400))
        .contains(new Respond(4, Body.builder().payload(HI).build()));
  }
}
