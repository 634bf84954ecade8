package dev.bindery.protocol.body;

import static dev.bindery.protocol.body.BindingCondition.BAD_REQUEST;
import static dev.bindery.protocol.body.BindingCondition.POLICY_VIOLATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bindery.protocol.testing.XmlTree;
import dev.bindery.protocol.xmpp.Namespaces;
import dev.bindery.protocol.xmpp.Stanza;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.xml.namespace.QName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BodyParserTest {

  private static final String OPEN = "<body xmlns='http://jabber.org/protocol/httpbind' rid='7'";

  /** A request using most of what the parser must keep: attributes, namespaces, text forms. */
  private static final String RICH = "<?xml version='1.0' encoding='UTF-8'?>"
      + "<body xmlns='http://jabber.org/protocol/httpbind' xmlns:xmpp='urn:xmpp:xbosh'"
      + " rid='1573741820' sid='SomeSID' to='example.com' xml:lang='en' xmpp:version='1.0'>"
      + "<message xmlns='jabber:client' to='juliet@example.com' id='a&amp;b'>"
      + "<body>caf\u00e9 &lt;3 \uD83D\uDE00 &#x1F600; <![CDATA[<i>&</i>]]></body>"
      + "<x:event xmlns:x='urn:example:x' x:id='1'><x:item/></x:event></message>"
      + "<presence type='unavailable'/>"
      + "</body>";

  private final BodyParser parser = new BodyParser();

  private Body parse(String xml) throws BodyParseException {
    return parser.parse(xml.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertRejected(BodyParser parser, byte[] bytes, BindingCondition condition) {
    assertThatThrownBy(() -> parser.parse(bytes))
        .isInstanceOfSatisfying(BodyParseException.class,
            e -> assertThat(e.condition()).isEqualTo(condition));
  }

  private void assertRejected(String xml, BindingCondition condition) {
    assertRejected(parser, xml.getBytes(StandardCharsets.UTF_8), condition);
  }

  // ---- valid bodies

  @Test
  void keepsAttributesInDocumentOrder() throws Exception {
    Body body = parse("<body xmlns='http://jabber.org/protocol/httpbind' wait='60' rid='1573741820'"
        + " to='example.com' hold='1' ver='1.6' content='text/xml; charset=utf-8'/>");

    assertThat(body.attributes().keySet()).containsExactly(BodyAttribute.WAIT, BodyAttribute.RID,
        BodyAttribute.TO, BodyAttribute.HOLD, BodyAttribute.VER, BodyAttribute.CONTENT);
    assertThat(body.rid()).hasValue(1573741820L);
    assertThat(body.attribute(BodyAttribute.CONTENT)).hasValue("text/xml; charset=utf-8");
    assertThat(body.payloads()).isEmpty();
  }

  @Test
  void namespacedAttributesAreKeyedByNamespaceNotPrefix() throws Exception {
    Body body = parse("<body xmlns='http://jabber.org/protocol/httpbind' xmlns:x='urn:xmpp:xbosh'"
        + " rid='1' x:version='1.0' x:restart='true' xml:lang='de'/>");

    assertThat(body.attribute(BodyAttribute.XMPP_VERSION)).hasValue("1.0");
    assertThat(body.attribute(BodyAttribute.XML_LANG)).hasValue("de");
    assertThat(body.isRestart()).isTrue();
    assertThat(body.attribute(new QName("version"))).isEmpty();
  }

  @Test
  void payloadDeclaringJabberClientIsKept() throws Exception {
    Body body = parse(OPEN + "><message xmlns='jabber:client' to='juliet@example.com'>"
        + "<body>hi</body></message></body>");

    Stanza stanza = body.payloads().get(0);
    assertThat(stanza.namespace()).isEqualTo(Namespaces.JABBER_CLIENT);
    assertThat(stanza.localName()).isEqualTo("message");
    assertThat(stanza.isRoutable()).isTrue();
    assertThat(XmlTree.parse(stanza.xml())).isEqualTo(XmlTree.parse(
        "<message xmlns='jabber:client' to='juliet@example.com'><body>hi</body></message>"));
  }

  @Test
  void payloadInheritingTheBodyNamespaceIsRewrittenToJabberClient() throws Exception {
    // Leniency.STANZA_WITHOUT_JABBER_CLIENT
    Body body = parse(OPEN + "><iq type='set' id='bind_1'>"
        + "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>httpclient</resource></bind>"
        + "</iq><presence/></body>");

    assertThat(body.payloads()).extracting(Stanza::namespace)
        .containsExactly(Namespaces.JABBER_CLIENT, Namespaces.JABBER_CLIENT);
    assertThat(XmlTree.parse(body.payloads().get(0).xml())).isEqualTo(XmlTree.parse(
        "<iq xmlns='jabber:client' type='set' id='bind_1'>"
            + "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>httpclient</resource></bind>"
            + "</iq>"));
    assertThat(XmlTree.parse(body.payloads().get(1).xml()))
        .isEqualTo(XmlTree.parse("<presence xmlns='jabber:client'/>"));
  }

  @Test
  void saslElementKeepsItsNamespace() throws Exception {
    Body body = parse(OPEN + "><auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>"
        + "AGp1bGlldAByMG0zMG15cjBtMzA=</auth></body>");

    Stanza auth = body.payloads().get(0);
    assertThat(auth.namespace()).isEqualTo(Namespaces.SASL);
    assertThat(auth.localName()).isEqualTo("auth");
    assertThat(auth.isRoutable()).isFalse();
    assertThat(XmlTree.parse(auth.xml())).isEqualTo(XmlTree.parse(
        "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>"
            + "AGp1bGlldAByMG0zMG15cjBtMzA=</auth>"));
  }

  @Test
  void nestedElementsInOtherNamespacesKeepTheirNamespaces() throws Exception {
    Body body = parse(OPEN + "><message xmlns='jabber:client'>"
        + "<event xmlns='http://jabber.org/protocol/pubsub#event'>"
        + "<items node='urn:xmpp:avatar:metadata'><item id='1'/></items></event>"
        + "<active xmlns='http://jabber.org/protocol/chatstates'/></message></body>");

    XmlTree message = XmlTree.parse(body.payloads().get(0).xml());
    assertThat(message.elements()).extracting(XmlTree::name).containsExactly(
        new QName("http://jabber.org/protocol/pubsub#event", "event"),
        new QName("http://jabber.org/protocol/chatstates", "active"));
    XmlTree items = message.elements().get(0).elements().get(0);
    assertThat(items.name())
        .isEqualTo(new QName("http://jabber.org/protocol/pubsub#event", "items"));
    assertThat(items.elements().get(0).name())
        .isEqualTo(new QName("http://jabber.org/protocol/pubsub#event", "item"));
  }

  @Test
  void prefixedNamespacesOnElementsAndAttributesAreKept() throws Exception {
    Body body = parse(OPEN + " xmlns:ext='urn:example:ext'><message xmlns='jabber:client'>"
        + "<ext:data ext:kind='note' plain='p'><ext:part>1</ext:part></ext:data></message></body>");

    XmlTree data = XmlTree.parse(body.payloads().get(0).xml()).elements().get(0);
    assertThat(data.name()).isEqualTo(new QName("urn:example:ext", "data"));
    assertThat(data.attributes()).isEqualTo(Map.of(
        new QName("urn:example:ext", "kind"), "note", new QName("plain"), "p"));
    assertThat(data.elements().get(0).name()).isEqualTo(new QName("urn:example:ext", "part"));
  }

  @Test
  void prefixedBodyElementIsAccepted() throws Exception {
    Body body = parse("<b:body xmlns:b='http://jabber.org/protocol/httpbind' rid='3'>"
        + "<message xmlns='jabber:client'/></b:body>");

    assertThat(body.rid()).hasValue(3);
    assertThat(body.payloads()).extracting(Stanza::localName).containsExactly("message");
  }

  @Test
  void cdataIsKeptAsText() throws Exception {
    Body body = parse(OPEN + "><message xmlns='jabber:client'><body>"
        + "<![CDATA[<b>bold</b> & ]]]]><![CDATA[>]]></body></message></body>");

    XmlTree text = XmlTree.parse(body.payloads().get(0).xml()).elements().get(0);
    assertThat(text.text()).isEqualTo("<b>bold</b> & ]]>");
  }

  @Test
  void predefinedEntitiesAndCharacterReferencesAreExpanded() throws Exception {
    Body body = parse(OPEN + " to='a&amp;b&lt;&gt;&quot;&apos;&#65;&#x42;'>"
        + "<message xmlns='jabber:client' id='&apos;&quot;'>"
        + "<body>&amp; &lt; &gt; &quot; &apos; &#65;&#x42;&#x9;</body></message></body>");

    assertThat(body.attribute(BodyAttribute.TO)).hasValue("a&b<>\"'AB");
    XmlTree message = XmlTree.parse(body.payloads().get(0).xml());
    assertThat(message.attribute("id")).isEqualTo("'\"");
    assertThat(message.elements().get(0).text()).isEqualTo("& < > \" ' AB\t");
  }

  @Test
  void unicodeAndEmojiSurviveInTextAndAttributes() throws Exception {
    String text = "h\u00e9llo \u65e5\u672c \uD83D\uDE00\uD83C\uDDEB\uD83C\uDDF7";
    Body body = parse(OPEN + " from='" + text + "'><message xmlns='jabber:client'><body>" + text
        + "&#x1F600;</body></message></body>");

    assertThat(body.attribute(BodyAttribute.FROM)).hasValue(text);
    assertThat(XmlTree.parse(body.payloads().get(0).xml()).elements().get(0).text())
        .isEqualTo(text + "\uD83D\uDE00");
  }

  @Test
  void whitespaceBetweenPayloadsIsTolerated() throws Exception {
    // Leniency.WHITESPACE_BETWEEN_PAYLOADS
    Body body = parse(OPEN + ">\n  <message xmlns='jabber:client'/>\r\n\t<presence/>\n</body>\n");

    assertThat(body.payloads()).extracting(Stanza::localName).containsExactly("message", "presence");
  }

  @Test
  void whitespaceInsidePayloadsIsKept() throws Exception {
    Body body = parse(OPEN + "><message xmlns='jabber:client'>\n  <body> a  b </body>\n</message>"
        + "</body>");

    XmlTree message = XmlTree.parse(body.payloads().get(0).xml());
    assertThat(message.children()).hasSize(3);
    assertThat(message.children().get(0)).isEqualTo("\n  ");
    assertThat(message.elements().get(0).text()).isEqualTo(" a  b ");
  }

  @Test
  void parsesOnlyTheGivenRange() throws Exception {
    byte[] padded = ("garbage" + OPEN + "/>" + "<more garbage").getBytes(StandardCharsets.UTF_8);

    Body body = parser.parse(padded, 7, (OPEN + "/>").length());

    assertThat(body.rid()).hasValue(7);
  }

  @Test
  void acceptsAnXmlDeclarationWithUtf8Encoding() throws Exception {
    assertThat(parse("<?xml version='1.0' encoding='utf-8' standalone='yes'?>" + OPEN + "/>").rid())
        .hasValue(7);
  }

  // ---- malformed input: every class is a BodyParseException with bad-request

  @ParameterizedTest
  @ValueSource(strings = {
      "<body xmlns='http://jabber.org/protocol/httpbind' rid='1'>",
      "<body xmlns='http://jabber.org/protocol/httpbind' rid='1'><message></body>",
      "<body xmlns='http://jabber.org/protocol/httpbind' rid='1'></message></body>",
      "<body xmlns='http://jabber.org/protocol/httpbind' rid='1' rid='2'/>",
      "<body xmlns='http://jabber.org/protocol/httpbind' rid=1/>",
      "<body xmlns='http://jabber.org/protocol/httpbind' rid='1' to='a<b'/>",
      "<body xmlns='http://jabber.org/protocol/httpbind'><x:message/></body>",
      "<body xmlns='http://jabber.org/protocol/httpbind'><message>a & b</message></body>",
      "<body xmlns='http://jabber.org/protocol/httpbind'><message>&#0;</message></body>",
      "<body xmlns='http://jabber.org/protocol/httpbind'><message>&#xFFFE;</message></body>",
      "<body xmlns='http://jabber.org/protocol/httpbind'><message>&#xD800;</message></body>",
      "<body xmlns='http://jabber.org/protocol/httpbind'><message>\u0001</message></body>",
      "<body xmlns='http://jabber.org/protocol/httpbind'><message>]]></message></body>",
      " <?xml version='1.0'?><body xmlns='http://jabber.org/protocol/httpbind'/>",
      "<?xml version='1.0' encoding='UTF-16'?><body xmlns='http://jabber.org/protocol/httpbind'/>",
      "not xml at all",
      "{\"body\": {}}",
  })
  void notWellFormedIsBadRequest(String xml) {
    assertRejected(xml, BAD_REQUEST);
  }

  @Test
  void invalidUtf8IsBadRequest() {
    byte[] bytes = (OPEN + "><message xmlns='jabber:client'><body>XX</body></message></body>")
        .getBytes(StandardCharsets.UTF_8);
    int at = new String(bytes, StandardCharsets.UTF_8).indexOf("XX");
    bytes[at] = (byte) 0xC3; // a lead byte followed by ASCII
    bytes[at + 1] = (byte) 0x28;

    assertRejected(parser, bytes, BAD_REQUEST);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "<bodyx xmlns='http://jabber.org/protocol/httpbind'/>",
      "<Body xmlns='http://jabber.org/protocol/httpbind'/>",
      "<body xmlns='jabber:client' rid='1'/>",
      "<body xmlns='http://jabber.org/protocol/httpbind/' rid='1'/>",
      "<body rid='1'/>",
      "<message xmlns='jabber:client'/>",
      "<stream:stream xmlns:stream='http://etherx.jabber.org/streams'/>",
  })
  void wrongRootElementOrNamespaceIsBadRequest(String xml) {
    assertRejected(xml, BAD_REQUEST);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "<body xmlns='http://jabber.org/protocol/httpbind'/><body xmlns='http://jabber.org/protocol/httpbind'/>",
      "<body xmlns='http://jabber.org/protocol/httpbind'/><message/>",
      "<body xmlns='http://jabber.org/protocol/httpbind'/>x",
      "<body xmlns='http://jabber.org/protocol/httpbind'/>&amp;",
      "<body xmlns='http://jabber.org/protocol/httpbind'/><![CDATA[x]]>",
  })
  void contentAfterTheRootIsBadRequest(String xml) {
    assertRejected(xml, BAD_REQUEST);
  }

  @Test
  void trailingWhitespaceAfterTheRootIsAccepted() throws Exception {
    assertThat(parse(OPEN + "/>\r\n \t").rid()).hasValue(7);
  }

  @Test
  void emptyInputIsBadRequest() {
    assertRejected(parser, new byte[0], BAD_REQUEST);
    assertRejected(parser, "<x/>".getBytes(StandardCharsets.UTF_8), BAD_REQUEST);
    assertThatThrownBy(() -> parser.parse(new byte[10], 3, 0))
        .isInstanceOfSatisfying(BodyParseException.class,
            e -> assertThat(e.condition()).isEqualTo(BAD_REQUEST));
  }

  @ParameterizedTest
  @ValueSource(strings = {" ", "\n\n", "<?xml version='1.0'?>"})
  void inputWithoutAnElementIsBadRequest(String xml) {
    assertRejected(xml, BAD_REQUEST);
  }

  @Test
  void xml11IsBadRequest() {
    assertRejected("<?xml version='1.1'?>" + OPEN + "/>", BAD_REQUEST);
  }

  /**
   * U+FFFE and U+FFFF are not XML characters: Woodstox refuses them in UTF-8 but not in UTF-16,
   * where the body parser itself must (found by fuzzing).
   */
  @ParameterizedTest
  @ValueSource(strings = {"/>", " to='\uFFFF'/>", "><m xmlns='jabber:client'>\uFFFE</m></body>",
      "><m xmlns='jabber:client' a='\uFFFF'/></body>", "><m xmlns='urn:\uFFFF'/></body>"})
  void noncharacterInAUtf16BodyIsBadRequest(String rest) {
    byte[] utf16 = (OPEN + rest).getBytes(StandardCharsets.UTF_16);
    if (rest.equals("/>")) {
      assertThatCode(() -> parser.parse(utf16)).doesNotThrowAnyException();
    } else {
      assertRejected(parser, utf16, BAD_REQUEST);
    }
  }

  // ---- limits

  private static String nested(int depth) {
    StringBuilder xml = new StringBuilder(OPEN + ">");
    for (int i = 1; i < depth; i++) {
      xml.append("<e>");
    }
    for (int i = 1; i < depth; i++) {
      xml.append("</e>");
    }
    return xml.append("</body>").toString();
  }

  @Test
  void acceptsNestingUpToMaxDepthCountingTheBody() throws Exception {
    assertThat(parse(nested(BodyLimits.DEFAULT_MAX_DEPTH)).payloads()).hasSize(1);
  }

  @Test
  void tooDeepIsBadRequest() {
    // Woodstox enforces depth and attribute limits while it scans, reporting them like any other
    // malformed input: bad-request, unlike the byte and payload limits (policy-violation)
    assertRejected(nested(BodyLimits.DEFAULT_MAX_DEPTH + 1), BAD_REQUEST);
  }

  private static final BodyLimits SMALL = new BodyLimits(2_000, 4, 50, 3, 2);
  private static final String SMALL_OPEN = "<body xmlns='http://jabber.org/protocol/httpbind'";

  @Test
  void acceptsExactlyMaxAttributesPerElement() throws Exception {
    BodyParser small = new BodyParser(SMALL);
    Body body = small.parse((SMALL_OPEN + " rid='1' a='2' b='3'><m x='1' y='2' z='3'/></body>")
        .getBytes(StandardCharsets.UTF_8));

    assertThat(body.attributes()).hasSize(3);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      SMALL_OPEN + " rid='1' a='2' b='3' c='4'/>",
      SMALL_OPEN + " rid='1'><m w='0' x='1' y='2' z='3'/></body>",
  })
  void tooManyAttributesIsBadRequest(String xml) {
    assertRejected(new BodyParser(SMALL), xml.getBytes(StandardCharsets.UTF_8), BAD_REQUEST);
  }

  @Test
  void acceptsAnAttributeOfMaxLength() throws Exception {
    BodyParser small = new BodyParser(SMALL);
    String value = "v".repeat(SMALL.maxAttributeLength());

    Body body = small.parse((SMALL_OPEN + " to='" + value + "'/>").getBytes(StandardCharsets.UTF_8));

    assertThat(body.attribute(BodyAttribute.TO)).hasValue(value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"body", "payload"})
  void tooLongAttributeIsBadRequest(String where) {
    String value = "v".repeat(SMALL.maxAttributeLength() + 1);
    String xml = where.equals("body")
        ? SMALL_OPEN + " to='" + value + "'/>"
        : SMALL_OPEN + "><m to='" + value + "'/></body>";

    assertRejected(new BodyParser(SMALL), xml.getBytes(StandardCharsets.UTF_8), BAD_REQUEST);
  }

  @Test
  void tooManyPayloadsIsPolicyViolation() throws Exception {
    BodyParser small = new BodyParser(SMALL);
    assertThat(small.parse((SMALL_OPEN + "><a><x/><y/><z/></a><b/></body>")
        .getBytes(StandardCharsets.UTF_8)).payloads()).hasSize(2);

    assertRejected(small, (SMALL_OPEN + "><a/><b/><c/></body>").getBytes(StandardCharsets.UTF_8),
        POLICY_VIOLATION);
  }

  @Test
  void tooLargeIsPolicyViolation() throws Exception {
    BodyParser small = new BodyParser(SMALL);
    String prefix = SMALL_OPEN + "><m>";
    String suffix = "</m></body>";
    String fits = prefix + "x".repeat(SMALL.maxBytes() - prefix.length() - suffix.length()) + suffix;
    assertThat(fits).hasSize(SMALL.maxBytes());
    assertThat(small.parse(fits.getBytes(StandardCharsets.UTF_8)).payloads()).hasSize(1);

    String tooLarge = prefix + "x" + fits.substring(prefix.length());
    assertRejected(small, tooLarge.getBytes(StandardCharsets.UTF_8), POLICY_VIOLATION);
  }

  @Test
  void tooLargeCountsBytesNotCharacters() {
    BodyParser small = new BodyParser(SMALL);
    String prefix = SMALL_OPEN + "><m>";
    String suffix = "</m></body>";
    // each e-acute is two bytes in UTF-8: fewer characters than maxBytes, more bytes
    String xml = prefix + "\u00e9".repeat(SMALL.maxBytes() / 2) + suffix;
    assertThat(xml.length()).isLessThan(SMALL.maxBytes());

    assertRejected(small, xml.getBytes(StandardCharsets.UTF_8), POLICY_VIOLATION);
  }

  @Test
  void exposesItsLimits() {
    assertThat(new BodyParser(SMALL).limits()).isEqualTo(SMALL);
    assertThat(new BodyParser().limits()).isEqualTo(BodyLimits.DEFAULTS);
  }

  // ---- fragmented and corrupted input

  @Test
  void everyTruncationOfAValidBodyIsBadRequest() throws Exception {
    byte[] whole = RICH.getBytes(StandardCharsets.UTF_8);
    assertThat(parser.parse(whole).payloads()).hasSize(2);

    for (int length = 0; length < whole.length; length++) {
      byte[] truncated = Arrays.copyOf(whole, length);
      int cut = length;
      assertThatThrownBy(() -> parser.parse(truncated))
          .as("truncated at byte %d", cut)
          .isInstanceOfSatisfying(BodyParseException.class,
              e -> assertThat(e.condition()).isEqualTo(BAD_REQUEST));
    }
  }

  @Test
  void everyTruncationInsideALargerBufferIsBadRequest() throws Exception {
    byte[] whole = RICH.getBytes(StandardCharsets.UTF_8);
    byte[] buffer = new byte[whole.length + 20];
    System.arraycopy(whole, 0, buffer, 10, whole.length);
    Arrays.fill(buffer, whole.length + 10, buffer.length, (byte) '>');
    assertThat(parser.parse(buffer, 10, whole.length).payloads()).hasSize(2);

    for (int length = 0; length < whole.length; length++) {
      int cut = length;
      assertThatThrownBy(() -> parser.parse(buffer, 10, cut))
          .as("truncated at byte %d", cut)
          .isInstanceOfSatisfying(BodyParseException.class,
              e -> assertThat(e.condition()).isEqualTo(BAD_REQUEST));
    }
  }

  @Test
  void everySingleByteCorruptionParsesOrIsBadRequest() {
    byte[] whole = RICH.getBytes(StandardCharsets.UTF_8);
    byte[] replacements = {'<', '>', '&', '\'', '"', '/', ':', '=', ' ', 0, (byte) 0x80, (byte) 0xFF};

    for (int at = 0; at < whole.length; at++) {
      for (byte replacement : replacements) {
        byte[] corrupted = whole.clone();
        corrupted[at] = replacement;
        try {
          parser.parse(corrupted);
        } catch (BodyParseException e) {
          assertThat(e.condition()).as("byte %d set to %d", at, replacement).isEqualTo(BAD_REQUEST);
        }
        // any other exception fails the test
      }
    }
  }

  // ---- round trips

  @ParameterizedTest
  @ValueSource(strings = {
      RICH,
      "<body xmlns='http://jabber.org/protocol/httpbind' rid='1'/>",
      "<body xmlns='http://jabber.org/protocol/httpbind' content='text/xml; charset=utf-8'"
          + " from='user@example.com' hold='1' rid='1573741820' to='example.com'"
          + " route='xmpp:example.com:9999' ver='1.6' wait='60' ack='1' xml:lang='en'/>",
      "<body xmlns='http://jabber.org/protocol/httpbind' rid='2' sid='s' type='terminate'>"
          + "<presence type='unavailable' xmlns='jabber:client'/></body>",
      "<body xmlns='http://jabber.org/protocol/httpbind' xmlns:xmpp='urn:xmpp:xbosh' rid='3'"
          + " sid='s' to='example.com' xml:lang='en' xmpp:restart='true'/>",
      "<body xmlns='http://jabber.org/protocol/httpbind' xmlns:o='urn:other' rid='4' o:a='&#9;&#10;&#13;'"
          + " to='&quot;&apos;&lt;&gt;&amp;'><auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl'"
          + " mechanism='PLAIN'>=</auth></body>",
      "<b:body xmlns:b='http://jabber.org/protocol/httpbind' xmlns:p='urn:p' rid='5'>"
          + "<p:x p:y='1'><z xmlns=''/><p:w xmlns:p='urn:q'/></p:x></b:body>",
      "<body xmlns='http://jabber.org/protocol/httpbind' rid='6'><message><body>a\r\nb]]&gt;"
          + "&#13;</body></message></body>",
  })
  void parseWriteParseGivesAnEqualBody(String xml) throws Exception {
    Body parsed = parse(xml);

    Body reparsed = parser.parse(BodyWriter.toBytes(parsed));

    assertThat(reparsed).isEqualTo(parsed);
    assertThat(BodyWriter.toXml(reparsed)).isEqualTo(BodyWriter.toXml(parsed));
  }

  @Test
  void parsedPayloadsMeanWhatTheClientSent() throws Exception {
    Body body = parse(RICH);

    XmlTree written = XmlTree.parse(BodyWriter.toXml(body));
    // the presence inherited the body's namespace: it is relayed as jabber:client (Leniency)
    XmlTree sent = XmlTree.parse(
        RICH.replace("<presence ", "<presence xmlns='jabber:client' "));
    assertThat(written.elements()).isEqualTo(sent.elements());
    assertThat(written.attributes()).isEqualTo(sent.attributes());
  }

  @Test
  void isThreadSafe() throws Exception {
    byte[] bytes = RICH.getBytes(StandardCharsets.UTF_8);
    Body expected = parser.parse(bytes);
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        try {
          for (int i = 0; i < 200; i++) {
            assertThat(parser.parse(bytes)).isEqualTo(expected);
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(failures).isEmpty();
  }
}
