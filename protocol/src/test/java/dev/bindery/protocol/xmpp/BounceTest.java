package dev.bindery.protocol.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.testing.XmlTree;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * XEP-0206 v1.4 §7 "recipient-unavailable"
 * (https://xmpp.org/extensions/xep-0206.html#recipient-unavailable): what goes back to the server
 * for a stanza the client will never collect.
 */
class BounceTest {

  private static Stanza client(String localName, String xml) {
    return new Stanza(Namespaces.JABBER_CLIENT, localName, xml);
  }

  private static XmlTree bounce(Stanza s) {
    Stanza bounced = Bounce.of(s).orElseThrow(() -> new AssertionError("dropped: " + s.xml()));
    assertThat(bounced.namespace()).isEqualTo(Namespaces.JABBER_CLIENT);
    assertThat(bounced.localName()).isEqualTo(s.localName());
    return XmlTree.parse(bounced.xml());
  }

  /*
   * "If the delivered stanza was <message/>, return a <recipient-unavailable/> error to the
   * sender." / "When an XMPP server receives a <message/> stanza of type "error" containing a
   * <recipient-unavailable/> condition from a connection manager, it SHOULD store the message for
   * later delivery if offline storage is enabled": the content travels back with the error.
   */
  @Test
  void messageBecomesRecipientUnavailableWithItsContent() {
    Stanza message = client("message", "<message xmlns=\"jabber:client\""
        + " from=\"romeo@example.net/orchard\" to=\"juliet@example.com/balcony\" id=\"m1\""
        + " type=\"chat\"><body>Wherefore art thou?</body>"
        + "<active xmlns=\"http://jabber.org/protocol/chatstates\"/></message>");

    assertThat(bounce(message)).isEqualTo(XmlTree.parse(
        "<message xmlns='jabber:client' type='error' to='romeo@example.net/orchard' id='m1'>"
            + "<body>Wherefore art thou?</body>"
            + "<active xmlns='http://jabber.org/protocol/chatstates'/>"
            + "<error type='wait'>"
            + "<recipient-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
            + "</error></message>"));
  }

  /* "If the delivered stanza was <iq/>, return a <service-unavailable/> error to the sender." */
  @ParameterizedTest
  @ValueSource(strings = {"get", "set"})
  void iqRequestBecomesServiceUnavailable(String type) {
    Stanza iq = client("iq", "<iq xmlns=\"jabber:client\" from=\"pubsub.example.com\""
        + " to=\"juliet@example.com/balcony\" id=\"q7\" type=\"" + type + "\">"
        + "<query xmlns=\"jabber:iq:version\"/></iq>");

    assertThat(bounce(iq)).isEqualTo(XmlTree.parse(
        "<iq xmlns='jabber:client' type='error' to='pubsub.example.com' id='q7'>"
            + "<error type='cancel'>"
            + "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
            + "</error></iq>"));
  }

  /* "If the delivered stanza was <presence/>, silently drop the stanza and do not return an error to the sender." */
  @ParameterizedTest
  @ValueSource(strings = {"", " type=\"unavailable\"", " type=\"subscribe\"", " type=\"error\""})
  void presenceIsDropped(String type) {
    Stanza presence = client("presence", "<presence xmlns=\"jabber:client\""
        + " from=\"romeo@example.net/orchard\"" + type + "/>");

    assertThat(Bounce.of(presence)).isEmpty();
  }

  /* Answering an answer or an error could loop between two entities: they are dropped. */
  @ParameterizedTest
  @ValueSource(strings = {"result", "error"})
  void iqResultsAndErrorsAreDropped(String type) {
    Stanza iq = client("iq", "<iq xmlns=\"jabber:client\" from=\"example.com\" id=\"q1\" type=\""
        + type + "\"/>");

    assertThat(Bounce.of(iq)).isEmpty();
  }

  @Test
  void messageErrorIsDropped() {
    Stanza error = client("message", "<message xmlns=\"jabber:client\" from=\"romeo@example.net\""
        + " type=\"error\"><error type=\"cancel\"><item-not-found"
        + " xmlns=\"urn:ietf:params:xml:ns:xmpp-stanzas\"/></error></message>");

    assertThat(Bounce.of(error)).isEmpty();
  }

  /* Only stanzas go back: stream features, SASL elements and the like are dropped. */
  @Test
  void nonStanzasAreDropped() {
    Stanza features = new Stanza(Namespaces.STREAM, "features",
        "<stream:features xmlns:stream=\"http://etherx.jabber.org/streams\"/>");
    Stanza success = new Stanza(Namespaces.SASL, "success",
        "<success xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"/>");
    Stanza serverMessage = new Stanza("jabber:server", "message",
        "<message xmlns=\"jabber:server\" from=\"a@b\"><body>x</body></message>");

    assertThat(Bounce.of(List.of(features, success, serverMessage))).isEmpty();
  }

  /* A message with no type is a normal message: it is bounced too. */
  @Test
  void messageWithoutTypeOrAddressesIsBounced() {
    Stanza message = client("message", "<message xmlns=\"jabber:client\"><body>hi</body></message>");

    assertThat(bounce(message)).isEqualTo(XmlTree.parse(
        "<message xmlns='jabber:client' type='error'><body>hi</body><error type='wait'>"
            + "<recipient-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
            + "</error></message>"));
  }

  /* Markup in attributes and text survives the round trip. */
  @Test
  void escapedCharactersSurvive() {
    Stanza message = client("message", "<message xmlns=\"jabber:client\""
        + " from=\"o&apos;brien@example.net/a&amp;b\" id=\"&lt;1&gt;\">"
        + "<body>I said &quot;Hi!&quot; &amp; &lt;waved&gt;</body></message>");

    XmlTree bounced = bounce(message);

    assertThat(bounced.attribute("to")).isEqualTo("o'brien@example.net/a&b");
    assertThat(bounced.attribute("id")).isEqualTo("<1>");
    assertThat(bounced.elements().get(0).text()).isEqualTo("I said \"Hi!\" & <waved>");
  }

  /* Children with prefixes and nested namespaces keep their meaning. */
  @Test
  void prefixedChildrenKeepTheirNamespaces() {
    Stanza message = client("message", "<message xmlns=\"jabber:client\" from=\"a@b/c\">"
        + "<x:x xmlns:x=\"jabber:x:data\" type=\"form\"><x:field var=\"f\"><x:value>v</x:value>"
        + "</x:field></x:x></message>");

    XmlTree form = bounce(message).elements().get(0);

    assertThat(form).isEqualTo(XmlTree.parse("<x xmlns='jabber:x:data' type='form'>"
        + "<field var='f'><value>v</value></field></x>"));
  }

  /* The bounces come in the order of the stanzas, without the dropped ones. */
  @Test
  void bouncesKeepTheOrder() {
    Stanza m1 = client("message", "<message xmlns=\"jabber:client\" id=\"1\"/>");
    Stanza presence = client("presence", "<presence xmlns=\"jabber:client\"/>");
    Stanza iq = client("iq", "<iq xmlns=\"jabber:client\" id=\"2\" type=\"get\"/>");
    Stanza m3 = client("message", "<message xmlns=\"jabber:client\" id=\"3\"/>");

    assertThat(Bounce.of(List.of(m1, presence, iq, m3)))
        .extracting(s -> XmlTree.parse(s.xml()).attribute("id"))
        .containsExactly("1", "2", "3");
  }

  @Test
  void nothingToBounceIsEmpty() {
    assertThat(Bounce.of(List.of())).isEmpty();
  }
}
