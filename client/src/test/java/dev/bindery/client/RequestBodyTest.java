package dev.bindery.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Request bodies of XEP-0124 v1.11.2 and XEP-0206 v1.4, compared as parsed values. */
class RequestBodyTest {

  static final BoshClientConfig CONFIG = BoshClientConfig.of("example.com", "juliet", "pw");

  /**
   * "The <body/> element of the first request SHOULD possess the following attributes [...]:
   * 'to' [...] 'xml:lang' [...] 'ver' [...] 'wait' [...] 'hold'" (XEP-0124 §7.1), and "The client
   * SHOULD include a 'version' attribute qualified by the 'urn:xmpp:xbosh' namespace" (XEP-0206 §4)
   */
  @Test
  void sessionCreationHasTheSpecAttributesAndNoSid() throws Exception {
    XmlElement body = parse(RequestBody.sessionCreation(1573741820L, CONFIG));

    assertThat(body.is(Xml.NS_HTTPBIND, "body")).isTrue();
    assertThat(body.attributes()).containsOnly(
        Map.entry("rid", "1573741820"),
        Map.entry("to", "example.com"),
        Map.entry(XmlElement.qualified(Xml.NS_XML, "lang"), "en"),
        Map.entry("ver", "1.11"),
        Map.entry("wait", "60"),
        Map.entry("hold", "1"),
        Map.entry(XmlElement.qualified(Xml.NS_XBOSH, "version"), "1.0"));
    assertThat(body.children()).isEmpty();
  }

  /**
   * "The BOSH <body/> element MUST include a boolean 'restart' attribute (qualified by the
   * 'urn:xmpp:xbosh' namespace) whose value is set to "true" [...] SHOULD include the 'to'
   * attribute [...] SHOULD include the 'xml:lang' attribute [...] SHOULD be empty" (XEP-0206 §5)
   */
  @Test
  void restartIsAnEmptyBodyWithXmppRestart() throws Exception {
    XmlElement body = parse(RequestBody.restart(1573741824L, "SomeSID", CONFIG));

    assertThat(body.attributes()).containsOnly(
        Map.entry("rid", "1573741824"),
        Map.entry("sid", "SomeSID"),
        Map.entry("to", "example.com"),
        Map.entry(XmlElement.qualified(Xml.NS_XML, "lang"), "en"),
        Map.entry(XmlElement.qualified(Xml.NS_XBOSH, "restart"), "true"));
    assertThat(body.children()).isEmpty();
  }

  @Test
  void payloadsAreWrappedWithRidAndSid() throws Exception {
    XmlElement body = parse(RequestBody.payloads(7, "s'1", Stanzas.presence()));

    assertThat(body.attribute("sid")).isEqualTo("s'1");
    assertThat(body.attribute("rid")).isEqualTo("7");
    assertThat(body.children()).singleElement()
        .satisfies(p -> assertThat(p.is(Xml.NS_CLIENT, "presence")).isTrue());
  }

  /** "sending a <body/> element with a 'type' attribute set to "terminate"" (XEP-0124 §13) */
  @Test
  void terminateCarriesTypeTerminateAndItsPayloads() throws Exception {
    RequestBody terminate = RequestBody.terminate(8, "s1", Stanzas.unavailablePresence());
    XmlElement body = parse(terminate);

    assertThat(terminate.isTerminate()).isTrue();
    assertThat(terminate.isPoll()).isFalse();
    assertThat(body.attribute("type")).isEqualTo("terminate");
    assertThat(body.children()).singleElement()
        .satisfies(p -> assertThat(p.attribute("type")).isEqualTo("unavailable"));
  }

  @Test
  void onlyAnEmptyPlainRequestIsAPoll() {
    assertThat(RequestBody.payloads(9, "s1", "").isPoll()).isTrue();
    assertThat(RequestBody.payloads(9, "s1", Stanzas.presence()).isPoll()).isFalse();
    assertThat(RequestBody.restart(9, "s1", CONFIG).isPoll()).isFalse();
    assertThat(RequestBody.terminate(9, "s1", "").isPoll()).isFalse();
  }

  /** "[...] will never be incremented above 9007199254740991" (XEP-0124 §14.1) */
  @Test
  void ridsOutsideTheRangeAreRejected() {
    assertThatThrownBy(() -> RequestBody.payloads(0, "s1", ""))
        .hasMessage("invalid rid: 0 (expected: 1 ~ 9007199254740991)");
    assertThatThrownBy(() -> RequestBody.payloads(9007199254740992L, "s1", ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(RequestBody.payloads(9007199254740991L, "s1", "").rid())
        .isEqualTo(9007199254740991L);
  }

  private static XmlElement parse(RequestBody body) throws Exception {
    return ResponseParser.parseElement(body.toXml());
  }
}
