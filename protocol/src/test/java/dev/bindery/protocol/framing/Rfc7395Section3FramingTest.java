package dev.bindery.protocol.framing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bindery.protocol.xmpp.Namespaces;
import dev.bindery.protocol.xmpp.Stanza;
import dev.bindery.protocol.xmpp.StreamErrorCondition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 7395 §3.2–§3.9: what a client's WebSocket message may be, and what breaking it gets. */
class Rfc7395Section3FramingTest {

  private final FrameParser parser = new FrameParser(10_000);

  private StreamErrorCondition refused(String text) {
    return assertThrows(FramingException.class, () -> parser.parse(text)).condition();
  }

  /** §3.4: "an <open/> element qualified by the 'urn:ietf:params:xml:ns:xmpp-framing' namespace". */
  @Test
  void openCarriesTheStreamAttributes() throws Exception {
    Frame frame = parser.parse("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing'"
        + " to='example.com' from='juliet@example.com' version='1.0' xml:lang='en'/>");
    assertEquals(new Frame.Open("example.com", "juliet@example.com", "1.0", "en"), frame);
  }

  @Test
  void absentAttributesAreNull() throws Exception {
    assertEquals(new Frame.Open("example.com", null, null, null),
        parser.parse("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='example.com'/>"));
  }

  /** §3.6, §3.6.1: {@code <close/>}, with or without see-other-uri. */
  @Test
  void closeWithAndWithoutSeeOtherUri() throws Exception {
    assertEquals(new Frame.Close(null),
        parser.parse("<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>"));
    assertEquals(new Frame.Close("wss://other.example.com/ws"),
        parser.parse("<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'"
            + " see-other-uri='wss://other.example.com/ws'/>"));
  }

  /** §3.3.3: each message "parsable as standalone XML documents"; it becomes one element. */
  @Test
  void aStanzaBecomesOneSelfContainedElement() throws Exception {
    Frame frame = parser.parse("<message xmlns='jabber:client' to='romeo@example.net'"
        + " type='chat'><body>Wherefore &amp; why?</body></message>");
    Stanza stanza = assertInstanceOf(Frame.Element.class, frame).stanza();
    assertEquals(Namespaces.JABBER_CLIENT, stanza.namespace());
    assertEquals("message", stanza.localName());
    assertTrue(stanza.isRoutable());
    assertTrue(stanza.xml().contains("<body>Wherefore &amp; why?</body>"), stanza.xml());
  }

  /** §3.3.3: features and errors declare the stream prefix themselves. */
  @Test
  void prefixedElementKeepsItsDeclaration() throws Exception {
    Stanza stanza = ((Frame.Element) parser.parse("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl'"
        + " mechanism='PLAIN'>AGp1bGlldAByMG0zMG15cjBtMzA=</auth>")).stanza();
    assertEquals(Namespaces.SASL, stanza.namespace());
    assertTrue(stanza.xml().startsWith("<auth xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\""),
        stanza.xml());
  }

  /** §3.3.3: "The inclusion of XML declarations, however, is NOT RECOMMENDED": allowed. */
  @Test
  void anXmlDeclarationIsAllowed() throws Exception {
    assertInstanceOf(Frame.Open.class, parser.parse(
        "<?xml version='1.0'?><open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='a'/>"));
  }

  /** §3.3.2: headers "MUST be qualified by" the framing namespace, else invalid-namespace. */
  @Test
  void aStreamStreamHeaderIsInvalidNamespace() {
    assertEquals(StreamErrorCondition.INVALID_NAMESPACE, refused("<stream:stream to='a'"
        + " xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"<open to='a' version='1.0'/>",
      "<open xmlns='jabber:client' to='a'/>", "<close xmlns='http://etherx.jabber.org/streams'/>"})
  void headersOutsideTheFramingNamespaceAreInvalidNamespace(String text) {
    assertEquals(StreamErrorCondition.INVALID_NAMESPACE, refused(text));
  }

  @Test
  void aStanzaInNoNamespaceIsInvalidNamespace() {
    assertEquals(StreamErrorCondition.INVALID_NAMESPACE, refused("<message to='a'/>"));
  }

  /** §3.3.3: "The first character of each frame MUST be a '<' character"; §3.8 no whitespace. */
  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\n", " <open xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>"})
  void whitespaceAndLeadingTextAreNotWellFormed(String text) {
    assertEquals(StreamErrorCondition.NOT_WELL_FORMED, refused(text));
  }

  /** §3.3.3: "Every XMPP stanza ... MUST be sent in its own frame", and whole. */
  @ParameterizedTest
  @ValueSource(strings = {
      "<message xmlns='jabber:client'><body>hi</body>",
      "<message xmlns='jabber:client'/><message xmlns='jabber:client'/>",
      "<message xmlns='jabber:client'/>trailing",
      "<message xmlns='jabber:client'><body>hi</message>",
      "<presence xmlns='jabber:client'"})
  void partialOrSeveralElementsAreNotWellFormed(String text) {
    assertEquals(StreamErrorCondition.NOT_WELL_FORMED, refused(text));
  }

  /** RFC 6120 §11.1: no comments, processing instructions, DTDs or entity references. */
  @ParameterizedTest
  @ValueSource(strings = {
      "<!DOCTYPE message [<!ENTITY x 'y'>]><message xmlns='jabber:client'>&x;</message>",
      "<message xmlns='jabber:client'><!-- note --></message>",
      "<message xmlns='jabber:client'><?pi data?></message>"})
  void restrictedXmlIsRefused(String text) {
    StreamErrorCondition condition = refused(text);
    assertTrue(condition == StreamErrorCondition.RESTRICTED_XML
        || condition == StreamErrorCondition.NOT_WELL_FORMED, condition::toString);
  }

  @Test
  void anUnknownEntityIsNeverExpanded() {
    assertEquals(StreamErrorCondition.NOT_WELL_FORMED,
        refused("<message xmlns='jabber:client'>&lol;</message>"));
  }

  /** §3.9: TLS is the WebSocket layer's; STARTTLS over the framing is refused. */
  @Test
  void startTlsIsRefused() {
    assertEquals(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE,
        refused("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"));
  }

  @Test
  void otherFramingElementsAreRefused() {
    assertEquals(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE,
        refused("<reopen xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>"));
  }

  @Test
  void aMessageOverTheLimitIsPolicyViolation() {
    FrameParser small = new FrameParser(64);
    String text = "<message xmlns='jabber:client'><body>" + "x".repeat(64) + "</body></message>";
    assertEquals(StreamErrorCondition.POLICY_VIOLATION,
        assertThrows(FramingException.class, () -> small.parse(text)).condition());
  }

  @Test
  void xml11IsRefused() {
    assertEquals(StreamErrorCondition.NOT_WELL_FORMED,
        refused("<?xml version='1.1'?><message xmlns='jabber:client'/>"));
  }

  /** What the connection manager writes parses back to the same frame. */
  @Test
  void writtenHeadersParseBack() throws Exception {
    assertEquals(new Frame.Close(null), parser.parse(Frames.close()));
    assertEquals(new Frame.Close("https://b.example/http-bind?a=1&b=2"),
        parser.parse(Frames.closeSeeOther("https://b.example/http-bind?a=1&b=2")));
    assertEquals(new Frame.Open(null, "example.com", "1.0", "en"),
        parser.parse(Frames.open("example.com", "s1", "1.0", "en")));
  }

  /** RFC 6120 §4.9: the error element stands alone, its prefix declared (§3.3.3). */
  @Test
  void streamErrorElementStandsAlone() throws Exception {
    Stanza error = StreamErrorCondition.HOST_UNKNOWN.element("no such <domain>");
    Stanza parsed = ((Frame.Element) parser.parse(error.xml())).stanza();
    assertTrue(parsed.isStreamError());
    assertTrue(parsed.xml().contains("<host-unknown"), parsed.xml());
    assertTrue(parsed.xml().contains("no such &lt;domain&gt;"), parsed.xml());
  }

  /**
   * XML 1.0 §2.2: U+FFFE and U+FFFF are not characters; a message holding one is not
   * well-formed, though Woodstox reading a string lets it through (found by fuzzing).
   */
  @ParameterizedTest
  @ValueSource(strings = {"<message xmlns='jabber:client'>\uFFFF</message>",
      "<message xmlns='urn:\uFFFEx'/>", "<message xmlns='jabber:client' id='\uFFFF'/>"})
  void noncharactersAreNotWellFormed(String text) {
    assertEquals(StreamErrorCondition.NOT_WELL_FORMED, refused(text));
  }
}
