package dev.bindery.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The comparison {@link SmackRosterScenario} asserts with, on a recorded stream and body: it
 * must see the server's elements through a change of serialization, and catch a drop, a
 * reorder, a duplicate and an invented element.
 */
class DeliveryCheckTest {

  /** What ejabberd writes: prefixes, single quotes, a restart, keepalive whitespace. */
  private static final String STREAM = "<?xml version='1.0'?><stream:stream"
      + " xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='1'"
      + " from='localhost' version='1.0' xml:lang='en'><stream:features><starttls"
      + " xmlns='urn:ietf:params:xml:ns:xmpp-tls'/><mechanisms"
      + " xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms>"
      + "</stream:features><success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"
      + "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
      + " xmlns:stream='http://etherx.jabber.org/streams' id='2' version='1.0'>"
      + "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>"
      + "<iq type='result' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
      + "<jid>a@localhost/r</jid></bind></iq> \n"
      + "<iq type='set' id='push1' to='a@localhost/r'><query xmlns='jabber:iq:roster'>"
      + "<item subscription='to' jid='b@localhost'/></query></iq>"
      + "<presence from='b@localhost/r' to='a@localhost/r' title='a &gt; b'/>"
      + "<iq type='set' id='push2' to='a@localhost/r'><query xmlns='jabber:iq:roster'>"
      + "<item subscription='both' jid='b@localhost'/></query></iq>"
      + "<message type='chat' from='b@localhost/r'><body>x &lt; y</body></message>"
      + "<message type='chat'><body>incompl";

  /** The same elements as a BOSH connection manager delivers them, in two bodies. */
  private static final String BODY_1 = "<body xmlns='http://jabber.org/protocol/httpbind'"
      + " xmlns:stream='http://etherx.jabber.org/streams' sid='s'><stream:features>"
      + "<mechanisms xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"><mechanism>PLAIN</mechanism>"
      + "</mechanisms></stream:features><success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"
      + "<features xmlns='http://etherx.jabber.org/streams'><bind"
      + " xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></features></body>";
  private static final String BODY_2 = "<body xmlns='http://jabber.org/protocol/httpbind'>"
      + "<iq xmlns='jabber:client' id='b1' type='result'><bind"
      + " xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>a@localhost/r</jid></bind></iq>"
      + "<iq xmlns='jabber:client' to='a@localhost/r' type='set' id='push1'><query"
      + " xmlns='jabber:iq:roster'><item jid='b@localhost' subscription='to'/></query></iq>"
      + "<presence xmlns='jabber:client' to='a@localhost/r' from='b@localhost/r'"
      + " title=\"a > b\"/>"
      + "<iq xmlns='jabber:client' to='a@localhost/r' type='set' id='push2'><query"
      + " xmlns='jabber:iq:roster'><item jid='b@localhost' subscription='both'/></query></iq>"
      + "<message xmlns='jabber:client' type='chat' from='b@localhost/r'><body>x &lt; y"
      + "</body></message></body>";

  private static List<String> sent() {
    return XmppElements.splitStream(STREAM).stream().map(XmppElements::canonical).toList();
  }

  private static List<String> delivered() {
    List<Element> elements = new ArrayList<>(XmppElements.payloads(BODY_1));
    elements.addAll(XmppElements.payloads(BODY_2));
    return elements.stream().map(XmppElements::canonical).toList();
  }

  @Test
  void theStreamSplitsIntoItsCompleteTopLevelElements() {
    List<Element> elements = XmppElements.splitStream(STREAM);
    assertThat(elements).extracting(Element::getLocalName).containsExactly("features",
        "success", "features", "iq", "iq", "presence", "iq", "message");
    assertThat(XmppElements.boundJid(elements.get(3))).contains("a@localhost/r");
    assertThat(XmppElements.rosterItems(elements.get(6))).containsExactly("b@localhost both");
  }

  @Test
  void theSameElementsSerializedDifferentlyAreComplete() {
    assertThat(DeliveryCheck.compare(sent(), delivered()).kind())
        .isEqualTo(DeliveryCheck.Kind.COMPLETE);
  }

  @Test
  void aPrefixIsPending() {
    List<String> delivered = delivered();
    DeliveryCheck check = DeliveryCheck.compare(sent(), delivered.subList(0, 5));
    assertThat(check.kind()).isEqualTo(DeliveryCheck.Kind.PENDING);
    assertThat(check.complete()).isFalse();
  }

  @Test
  void aDroppedPushDiverges() {
    List<String> delivered = new ArrayList<>(delivered());
    String push = delivered.remove(6);
    assertThat(push).contains("subscription=\"both\"");
    DeliveryCheck check = DeliveryCheck.compare(sent(), delivered);
    assertThat(check.kind()).isEqualTo(DeliveryCheck.Kind.DIVERGED);
    assertThat(check.index()).isEqualTo(6);
    assertThat(check.sent()).isEqualTo(push);
  }

  @Test
  void theLastElementDroppedStaysIncomplete() {
    List<String> delivered = delivered();
    assertThat(DeliveryCheck.compare(sent(), delivered.subList(0, delivered.size() - 1))
        .complete()).isFalse();
  }

  @Test
  void twoSwappedElementsDiverge() {
    List<String> delivered = new ArrayList<>(delivered());
    delivered.set(4, delivered().get(6));
    delivered.set(6, delivered().get(4));
    DeliveryCheck check = DeliveryCheck.compare(sent(), delivered);
    assertThat(check.kind()).isEqualTo(DeliveryCheck.Kind.DIVERGED);
    assertThat(check.index()).isEqualTo(4);
  }

  @Test
  void aDuplicateDiverges() {
    List<String> delivered = new ArrayList<>(delivered());
    delivered.add(5, delivered.get(4));
    assertThat(DeliveryCheck.compare(sent(), delivered).kind())
        .isEqualTo(DeliveryCheck.Kind.DIVERGED);
  }

  @Test
  void anElementTheServerNeverSentIsExtra() {
    List<String> delivered = new ArrayList<>(delivered());
    delivered.add("<message xmlns=\"jabber:client\"/>");
    assertThat(DeliveryCheck.compare(sent(), delivered).kind())
        .isEqualTo(DeliveryCheck.Kind.EXTRA);
  }

  @Test
  void aChangedAttributeDiverges() {
    List<String> delivered = new ArrayList<>(delivered());
    delivered.set(6, delivered.get(6).replace("both", "to"));
    assertThat(DeliveryCheck.compare(sent(), delivered).kind())
        .isEqualTo(DeliveryCheck.Kind.DIVERGED);
  }
}
