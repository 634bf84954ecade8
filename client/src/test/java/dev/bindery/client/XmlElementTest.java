package dev.bindery.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Writing a parsed element out again: compared as parsed values, never as strings. */
class XmlElementTest {

  @Test
  void aPayloadWrittenOutParsesBackToTheSameElement() throws Exception {
    XmlElement message = payload("<message xmlns='jabber:client' type='chat' id='m1'"
        + " xml:lang='en' to='a@b/c'><body>hi &amp; &lt;bye&gt; 'x' \"y\"</body>"
        + "<active xmlns='http://jabber.org/protocol/chatstates'/></message>");

    assertThat(reparsed(message)).isEqualTo(message);
    assertThat(message.toXml()).contains("xml:lang='en'");
  }

  @Test
  void childrenInTheirParentsNamespaceDeclareNone() throws Exception {
    XmlElement resumed = payload("<resumed xmlns='urn:xmpp:sm:3' h='5' previd='x'/>");

    assertThat(resumed.toXml()).isEqualTo("<resumed xmlns='urn:xmpp:sm:3' h='5' previd='x'/>");
    XmlElement iq = payload("<iq xmlns='jabber:client' type='result' id='bind'>"
        + "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>a@b/c</jid></bind></iq>");
    assertThat(reparsed(iq)).isEqualTo(iq);
    assertThat(iq.toXml()).containsOnlyOnce("xmpp-bind");
  }

  @Test
  void namespacedAttributesKeepTheirNamespace() throws Exception {
    XmlElement element = payload("<x xmlns='urn:a' xmlns:p='urn:p' p:flag='1' plain='2'/>");

    assertThat(reparsed(element)).isEqualTo(element);
    assertThat(reparsed(element).attribute(XmlElement.qualified("urn:p", "flag"))).isEqualTo("1");
  }

  /** The only payload of a response body carrying {@code xml}. */
  private static XmlElement payload(String xml) throws BoshException {
    return ResponseParser.parse(ScriptedTransport.responseBody("", xml)).payloads().get(0);
  }

  private static XmlElement reparsed(XmlElement element) throws BoshException {
    return payload(element.toXml());
  }
}
