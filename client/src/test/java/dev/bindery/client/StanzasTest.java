package dev.bindery.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StanzasTest {

  @Test
  void aChatMessageEscapesItsAddressAndBody() throws Exception {
    XmlElement message = parse(Stanzas.chatMessage("m'1", "o'brien@example.com",
        "</body><evil/> & more"));

    assertThat(message.is(Xml.NS_CLIENT, "message")).isTrue();
    assertThat(message.attributes()).containsOnly(Map.entry("type", "chat"),
        Map.entry("id", "m'1"), Map.entry("to", "o'brien@example.com"));
    assertThat(message.children()).hasSize(1);
    assertThat(message.childText(Xml.NS_CLIENT, "body")).isEqualTo("</body><evil/> & more");
  }

  @Test
  void bindAsksForTheResourceOrForAny() throws Exception {
    XmlElement any = parse(Stanzas.bind("b1", null)).child(Xml.NS_BIND, "bind");
    XmlElement named = parse(Stanzas.bind("b1", "desk&top")).child(Xml.NS_BIND, "bind");

    assertThat(any.children()).isEmpty();
    assertThat(named.childText(Xml.NS_BIND, "resource")).isEqualTo("desk&top");
  }

  @Test
  void authCarriesTheMechanismAndResponse() throws Exception {
    XmlElement auth = parse(Stanzas.auth("PLAIN", "AGFkbWluAHB3"));

    assertThat(auth.is(Xml.NS_SASL, "auth")).isTrue();
    assertThat(auth.attribute("mechanism")).isEqualTo("PLAIN");
    assertThat(auth.text()).isEqualTo("AGFkbWluAHB3");
  }

  @Test
  void sessionIsALegacySessionIq() throws Exception {
    XmlElement iq = parse(Stanzas.session("s1"));

    assertThat(iq.attribute("type")).isEqualTo("set");
    assertThat(iq.child(Xml.NS_SESSION, "session")).isNotNull();
  }

  /** RFC 6120 §8.2.3: an error reply keeps the id and goes back to the sender. */
  @Test
  void serviceUnavailableAnswersTheIq() throws Exception {
    XmlElement request = parse("<iq xmlns='jabber:client' type='get' id='v&amp;1'"
        + " from='localhost'><query xmlns='jabber:iq:version'/></iq>");

    XmlElement reply = parse(Stanzas.serviceUnavailable(request));

    assertThat(reply.attributes()).containsOnly(Map.entry("type", "error"),
        Map.entry("id", "v&1"), Map.entry("to", "localhost"));
    XmlElement error = reply.child(Xml.NS_CLIENT, "error");
    assertThat(error.attribute("type")).isEqualTo("cancel");
    assertThat(error.children()).extracting(XmlElement::namespace, XmlElement::name)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Xml.NS_STANZAS,
            "service-unavailable"));
  }

  @Test
  void presencesAreJabberClientStanzas() throws Exception {
    for (String presence : List.of(Stanzas.presence(), Stanzas.unavailablePresence())) {
      assertThat(parse(presence).is(Xml.NS_CLIENT, "presence")).isTrue();
    }
    assertThat(parse(Stanzas.unavailablePresence()).attribute("type")).isEqualTo("unavailable");
  }

  private static XmlElement parse(String xml) throws Exception {
    return ResponseParser.parseElement(xml);
  }
}
