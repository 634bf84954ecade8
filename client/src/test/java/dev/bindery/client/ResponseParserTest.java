package dev.bindery.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ResponseParserTest {

  /** What Prosody 0.12's mod_bosh answers to a session creation request, verbatim. */
  static final String PROSODY_CREATION = "<body sid='4e76d2ff-ac24-4ee5-9d70-465e215944e0'"
      + " xmlns:xmpp='urn:xmpp:xbosh' requests='2' ver='1.6'"
      + " authid='4e76d2ff-ac24-4ee5-9d70-465e215944e0' polling='5' xmpp:version='1.0' hold='1'"
      + " xmlns:stream='http://etherx.jabber.org/streams' wait='10' inactivity='60'"
      + " xmlns='http://jabber.org/protocol/httpbind' secure='true' from='localhost'>"
      + "<stream:features xmlns='jabber:client'><mechanisms"
      + " xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism>"
      + "<mechanism>SCRAM-SHA-256</mechanism><mechanism>SCRAM-SHA-1</mechanism></mechanisms>"
      + "</stream:features></body>";

  @Test
  void readsProsodysCreationResponse() throws Exception {
    ResponseBody body = ResponseParser.parse(PROSODY_CREATION);

    assertThat(body.sid()).isEqualTo("4e76d2ff-ac24-4ee5-9d70-465e215944e0");
    assertThat(body.intAttribute("requests", 0)).isEqualTo(2);
    assertThat(body.intAttribute("wait", 0)).isEqualTo(10);
    assertThat(body.intAttribute("maxpause", -1)).isEqualTo(-1);
    assertThat(body.attribute(XmlElement.qualified(Xml.NS_XBOSH, "version"))).isEqualTo("1.0");
    assertThat(body.isTerminate()).isFalse();
    XmlElement features = body.streamFeatures();
    assertThat(features).isNotNull();
    assertThat(features.child(Xml.NS_SASL, "mechanisms").children(Xml.NS_SASL, "mechanism"))
        .extracting(XmlElement::text)
        .containsExactly("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-1");
  }

  @Test
  void payloadsKeepTheirNamespacesAndOrder() throws Exception {
    ResponseBody body = ResponseParser.parse("<body xmlns='http://jabber.org/protocol/httpbind'>"
        + "<message xmlns='jabber:client' id='1'><body>one</body></message>"
        + "<presence xmlns='jabber:client'/><message id='3'/></body>");

    assertThat(body.payloads()).extracting(XmlElement::namespace, XmlElement::name)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Xml.NS_CLIENT, "message"),
            org.assertj.core.groups.Tuple.tuple(Xml.NS_CLIENT, "presence"),
            org.assertj.core.groups.Tuple.tuple(Xml.NS_HTTPBIND, "message"));
    assertThat(body.payloads().get(0).childText(Xml.NS_CLIENT, "body")).isEqualTo("one");
  }

  @Test
  void aTerminateBodyNamesItsCondition() throws Exception {
    ResponseBody body = ResponseParser.parse("<body type='terminate' condition='policy-violation'"
        + " xmlns='http://jabber.org/protocol/httpbind'/>");

    BoshException cause = body.terminationCause();
    assertThat(cause.kind()).isEqualTo(BoshException.Kind.TERMINATED);
    assertThat(cause.condition()).isEqualTo("policy-violation");
    assertThat(cause.getMessage())
        .isEqualTo("session terminated by the connection manager: policy-violation");
  }

  /** XEP-0124 §17.2: "The client can try POSTing to the URI in the content of the <uri/>" */
  @Test
  void seeOtherUriNamesTheUri() throws Exception {
    ResponseBody body = ResponseParser.parse("<body condition='see-other-uri' type='terminate'"
        + " xmlns='http://jabber.org/protocol/httpbind'><uri>https://secure.jabber.org/xmppcm</uri>"
        + "</body>");

    assertThat(body.terminationCause().getMessage())
        .endsWith("see-other-uri (https://secure.jabber.org/xmppcm)");
  }

  @Test
  void theObsoleteBareStreamErrorIsUnderstoodToo() throws Exception {
    ResponseBody body = ResponseParser.parse("<body condition='remote-stream-error'"
        + " type='terminate' xmlns='http://jabber.org/protocol/httpbind'>"
        + "<host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></body>");

    assertThat(body.terminationCause().getMessage()).endsWith("(host-unknown)");
  }

  @Test
  void malformedXmlIsAProtocolError() {
    assertThatThrownBy(
        () -> ResponseParser.parse("<body xmlns='http://jabber.org/protocol/httpbind'>"))
        .isInstanceOfSatisfying(BoshException.class,
            e -> assertThat(e.kind()).isEqualTo(BoshException.Kind.PROTOCOL));
  }

  @Test
  void aRootOtherThanTheBoshBodyIsRejected() {
    assertThatThrownBy(() -> ResponseParser.parse("<body/>"))
        .hasMessageContaining("unexpected response root: {}body");
    assertThatThrownBy(() -> ResponseParser.parse("<html><body>502 Bad Gateway</body></html>"))
        .hasMessageContaining("unexpected response root");
  }

  /** XEP-0124 §6: no "internal or external DTD subsets" nor non-predefined entities. */
  @Test
  void doctypesAndEntitiesAreRefused() {
    assertThatThrownBy(() -> ResponseParser.parse("<!DOCTYPE body [<!ENTITY x 'boom'>]>"
        + "<body xmlns='http://jabber.org/protocol/httpbind'>&x;</body>"))
        .isInstanceOf(BoshException.class);
  }

  @Test
  void invalidNumbersAreReported() throws Exception {
    ResponseBody body = ResponseParser.parse(
        "<body requests='two' xmlns='http://jabber.org/protocol/httpbind'/>");

    assertThatThrownBy(() -> body.intAttribute("requests", 2))
        .hasMessage("invalid requests: two (expected: a non-negative integer)");
  }
}
