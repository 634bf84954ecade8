package dev.bindery.protocol.xmpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.ctc.wstx.stax.WstxInputFactory;
import dev.bindery.protocol.testing.XmlTree;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.namespace.QName;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StanzaBuilderTest {

  private static final String BODY = "<body xmlns='http://jabber.org/protocol/httpbind'>";
  private static final String END_BODY = "</body>";
  /** A context binding every prefix the stanzas use to something else. */
  private static final String HOSTILE = "<w xmlns='urn:hostile' xmlns:stream='urn:hostile'"
      + " xmlns:x='urn:hostile' xmlns:p='urn:hostile' xmlns:b='urn:hostile'>";
  private static final String END_HOSTILE = "</w>";

  private static final XMLInputFactory WOODSTOX = new WstxInputFactory();

  /** Builds every child element of {@code document}'s root, as a body parser does. */
  private static List<Stanza> build(String document) throws XMLStreamException {
    XMLStreamReader reader = WOODSTOX.createXMLStreamReader(new StringReader(document));
    StanzaBuilder builder = new StanzaBuilder();
    List<Stanza> stanzas = new ArrayList<>();
    int depth = 0;
    while (reader.hasNext()) {
      switch (reader.next()) {
        case XMLStreamConstants.START_ELEMENT -> {
          if (++depth >= 2) {
            builder.startElement(reader);
          }
        }
        case XMLStreamConstants.END_ELEMENT -> {
          if (depth-- >= 2 && builder.endElement(reader)) {
            stanzas.add(builder.build());
            builder.reset();
          }
        }
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA,
            XMLStreamConstants.SPACE -> {
          if (depth >= 2) {
            builder.characters(reader);
          }
        }
        default -> {
        }
      }
    }
    return stanzas;
  }

  private static Stanza buildOne(String document) throws XMLStreamException {
    List<Stanza> stanzas = build(document);
    assertThat(stanzas).hasSize(1);
    return stanzas.get(0);
  }

  /** The stanza means the same standalone, inside a body and inside a hostile context. */
  private static void assertSelfContained(Stanza stanza) {
    XmlTree alone = XmlTree.parse(stanza.xml());
    assertThat(XmlTree.parseIn(BODY, END_BODY, stanza.xml())).isEqualTo(alone);
    assertThat(XmlTree.parseIn(HOSTILE, END_HOSTILE, stanza.xml())).isEqualTo(alone);
    assertThat(XmlTree.parseIn("<stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams'>", "</stream:stream>",
        stanza.xml())).isEqualTo(alone);
  }

  @Test
  void rootDeclaresItsOwnNamespace() throws Exception {
    Stanza stanza = buildOne(BODY + "<message xmlns='jabber:client' to='a@example.com'/>" + END_BODY);

    assertThat(stanza.namespace()).isEqualTo(Namespaces.JABBER_CLIENT);
    assertThat(stanza.localName()).isEqualTo("message");
    assertThat(XmlTree.declarations(stanza.xml()))
        .containsExactly(Map.of("", Namespaces.JABBER_CLIENT));
    assertSelfContained(stanza);
  }

  @Test
  void elementInheritingTheBodyNamespaceBecomesJabberClient() throws Exception {
    Stanza stanza = buildOne(BODY + "<presence><show>away</show></presence>" + END_BODY);

    assertThat(stanza.namespace()).isEqualTo(Namespaces.JABBER_CLIENT);
    assertThat(XmlTree.parse(stanza.xml())).isEqualTo(XmlTree.parse(
        "<presence xmlns='jabber:client'><show>away</show></presence>"));
    assertSelfContained(stanza);
  }

  @Test
  void explicitBodyNamespaceOnANestedElementBecomesJabberClientToo() throws Exception {
    Stanza stanza = buildOne(BODY + "<message xmlns='jabber:client'>"
        + "<body xmlns='http://jabber.org/protocol/httpbind'>x</body></message>" + END_BODY);

    assertThat(XmlTree.parse(stanza.xml())).isEqualTo(XmlTree.parse(
        "<message xmlns='jabber:client'><body>x</body></message>"));
    assertThat(XmlTree.declarations(stanza.xml()))
        .containsExactly(Map.of("", Namespaces.JABBER_CLIENT), Map.of());
  }

  @Test
  void prefixInheritedFromTheBodyIsDeclaredWhereFirstUsed() throws Exception {
    Stanza stanza = buildOne("<body xmlns='http://jabber.org/protocol/httpbind'"
        + " xmlns:x='urn:example:x' xmlns:unused='urn:unused'>"
        + "<message xmlns='jabber:client'><x:a><x:b x:c='1'/></x:a></message>" + END_BODY);

    assertThat(XmlTree.declarations(stanza.xml())).containsExactly(
        Map.of("", Namespaces.JABBER_CLIENT), Map.of("x", "urn:example:x"), Map.of());
    assertSelfContained(stanza);
  }

  @Test
  void prefixUsedOnlyByAnAttributeIsDeclared() throws Exception {
    Stanza stanza = buildOne("<body xmlns='http://jabber.org/protocol/httpbind'"
        + " xmlns:x='urn:example:x'><message xmlns='jabber:client' x:hint='no-store'/>" + END_BODY);

    XmlTree message = XmlTree.parse(stanza.xml());
    assertThat(message.attributes())
        .isEqualTo(Map.of(new QName("urn:example:x", "hint"), "no-store"));
    assertSelfContained(stanza);
  }

  @Test
  void nestedElementsInTheSameNamespaceDoNotRedeclareIt() throws Exception {
    Stanza stanza = buildOne(BODY + "<iq xmlns='jabber:client' type='set' id='1'>"
        + "<query xmlns='jabber:iq:roster' xmlns:g='urn:g'><item jid='a@b'><group>g</group>"
        + "<g:x xmlns:g='urn:g'/></item></query><error xmlns='jabber:client'/></iq>" + END_BODY);

    assertThat(XmlTree.declarations(stanza.xml())).containsExactly(
        Map.of("", Namespaces.JABBER_CLIENT),
        Map.of("", "jabber:iq:roster", "g", "urn:g"),
        Map.of(), Map.of(), Map.of(),
        Map.of());
    assertSelfContained(stanza);
  }

  @Test
  void siblingAfterANestedDefaultUsesTheOuterDefault() throws Exception {
    Stanza stanza = buildOne(BODY + "<message xmlns='jabber:client'>"
        + "<x xmlns='urn:x'><y/></x><body>after</body></message>" + END_BODY);

    XmlTree message = XmlTree.parse(stanza.xml());
    assertThat(message.elements()).extracting(XmlTree::name)
        .containsExactly(new QName("urn:x", "x"), new QName(Namespaces.JABBER_CLIENT, "body"));
    assertThat(message.elements().get(0).elements().get(0).name()).isEqualTo(new QName("urn:x", "y"));
    assertThat(XmlTree.declarations(stanza.xml())).containsExactly(
        Map.of("", Namespaces.JABBER_CLIENT), Map.of("", "urn:x"), Map.of(), Map.of());
  }

  @Test
  void samePrefixRebound() throws Exception {
    Stanza stanza = buildOne(BODY + "<p:a xmlns:p='urn:one'><p:b xmlns:p='urn:two'/><p:c/></p:a>"
        + END_BODY);

    XmlTree a = XmlTree.parse(stanza.xml());
    assertThat(a.name()).isEqualTo(new QName("urn:one", "a"));
    assertThat(a.elements()).extracting(XmlTree::name)
        .containsExactly(new QName("urn:two", "b"), new QName("urn:one", "c"));
    assertSelfContained(stanza);
  }

  @Test
  void undeclaredDefaultInsideAStanzaIsWrittenAsEmptyXmlns() throws Exception {
    Stanza stanza = buildOne(BODY + "<message xmlns='jabber:client'><x xmlns=''><y/></x></message>"
        + END_BODY);

    XmlTree x = XmlTree.parse(stanza.xml()).elements().get(0);
    assertThat(x.name()).isEqualTo(new QName("", "x"));
    assertThat(x.elements().get(0).name()).isEqualTo(new QName("", "y"));
    assertThat(XmlTree.declarations(stanza.xml()))
        .containsExactly(Map.of("", Namespaces.JABBER_CLIENT), Map.of("", ""), Map.of());
    assertSelfContained(stanza);
  }

  @Test
  void unqualifiedElementUnderAPrefixedRootSaysXmlnsEmpty() throws Exception {
    // no default is declared inside the stanza, but the body it is written into has one
    Stanza stanza = buildOne("<b:body xmlns:b='http://jabber.org/protocol/httpbind'>"
        + "<p:x xmlns:p='urn:p'><z/></p:x></b:body>");

    XmlTree x = XmlTree.parse(stanza.xml());
    assertThat(x.elements().get(0).name()).isEqualTo(new QName("", "z"));
    assertSelfContained(stanza);
  }

  @Test
  void unqualifiedRootSaysXmlnsEmpty() throws Exception {
    Stanza stanza = buildOne("<b:body xmlns:b='http://jabber.org/protocol/httpbind'>"
        + "<message to='a@example.com'/></b:body>");

    assertThat(stanza.namespace()).isEmpty();
    assertThat(XmlTree.parse(stanza.xml()).name()).isEqualTo(new QName("", "message"));
    assertSelfContained(stanza);
  }

  @Test
  void prefixBoundToTheBodyNamespaceStaysWellFormedOnAttributes() throws Exception {
    Stanza stanza = buildOne(BODY + "<message xmlns='jabber:client'"
        + " xmlns:b='http://jabber.org/protocol/httpbind' b:foo='x'><b:body>hi</b:body></message>"
        + END_BODY);

    XmlTree message = XmlTree.parse(stanza.xml());
    assertThat(message.attributes())
        .isEqualTo(Map.of(new QName(Namespaces.JABBER_CLIENT, "foo"), "x"));
    assertThat(message.elements().get(0).name())
        .isEqualTo(new QName(Namespaces.JABBER_CLIENT, "body"));
    assertSelfContained(stanza);
  }

  @Test
  void prefixedRootInTheBodyNamespaceStaysWellFormed() throws Exception {
    Stanza stanza = buildOne("<b:body xmlns:b='http://jabber.org/protocol/httpbind'>"
        + "<b:iq b:type='get' id='1'/></b:body>");

    assertThat(stanza.namespace()).isEqualTo(Namespaces.JABBER_CLIENT);
    XmlTree iq = XmlTree.parse(stanza.xml());
    assertThat(iq.name()).isEqualTo(new QName(Namespaces.JABBER_CLIENT, "iq"));
    assertSelfContained(stanza);
  }

  @Test
  void ownPrefixDeclarationsAreKeptForAttributeValues() throws Exception {
    // QName-valued attributes refer to prefixes the parser cannot see being used
    Stanza stanza = buildOne(BODY + "<iq xmlns='jabber:client' xmlns:v='urn:values' type='get'"
        + " id='v:one'/>" + END_BODY);

    assertThat(XmlTree.declarations(stanza.xml()))
        .containsExactly(Map.of("", Namespaces.JABBER_CLIENT, "v", "urn:values"));
  }

  @Test
  void xmlLangNeedsNoDeclaration() throws Exception {
    Stanza stanza = buildOne(BODY + "<message xmlns='jabber:client' xml:lang='en'/>" + END_BODY);

    assertThat(XmlTree.parse(stanza.xml()).attributes())
        .isEqualTo(Map.of(new QName(Namespaces.XML, "lang"), "en"));
    assertThat(XmlTree.declarations(stanza.xml()))
        .containsExactly(Map.of("", Namespaces.JABBER_CLIENT));
  }

  @Test
  void streamNamespaceElementsAreSelfContained() throws Exception {
    Stanza stanza = buildOne("<stream:stream xmlns='jabber:client'"
        + " xmlns:stream='http://etherx.jabber.org/streams'><stream:features>"
        + "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism>"
        + "</mechanisms></stream:features></stream:stream>");

    assertThat(stanza.isStreamFeatures()).isTrue();
    assertThat(XmlTree.declarations(stanza.xml()).get(0))
        .isEqualTo(Map.of("stream", Namespaces.STREAM));
    assertSelfContained(stanza);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "a\tb\nc\rd",
      "&<>\"'",
      "  leading and trailing  ",
      "\uD83D\uDE00 caf\u00e9",
  })
  void attributeValuesSurviveEscaping(String value) throws Exception {
    String escaped = XmlEscaper.escapeAttribute(value);
    Stanza stanza = buildOne(BODY + "<message xmlns='jabber:client' id=\"" + escaped + "\"/>"
        + END_BODY);

    assertThat(XmlTree.parse(stanza.xml()).attribute("id")).isEqualTo(value);
  }

  @Test
  void textEscapingNeverWritesCdataEndAndKeepsCarriageReturns() throws Exception {
    Stanza stanza = buildOne(BODY + "<message xmlns='jabber:client'><body>a]]&gt;b&#13;c"
        + "<![CDATA[d]]]]><![CDATA[>e]]>\r\nf</body></message>" + END_BODY);

    assertThat(stanza.xml()).doesNotContain("]]>").doesNotContain("\r");
    // the parser normalized the literal CR LF to LF; the escaped CR survives
    assertThat(XmlTree.parse(stanza.xml()).elements().get(0).text()).isEqualTo("a]]>b\rcd]]>e\nf");
  }

  @Test
  void buildsConsecutiveStanzasAfterReset() throws Exception {
    List<Stanza> stanzas = build(BODY + "<message xmlns='jabber:client'><body>1</body></message>"
        + "<x:y xmlns:x='urn:x'/><presence/>" + END_BODY);

    assertThat(stanzas).extracting(Stanza::localName).containsExactly("message", "y", "presence");
    assertThat(XmlTree.parse(stanzas.get(2).xml()))
        .isEqualTo(XmlTree.parse("<presence xmlns='jabber:client'/>"));
    stanzas.forEach(StanzaBuilderTest::assertSelfContained);
  }

  @Test
  void tracksDepthAndLength() throws Exception {
    XMLStreamReader reader = WOODSTOX.createXMLStreamReader(
        new StringReader("<a xmlns='urn:a'><b/></a>"));
    StanzaBuilder builder = new StanzaBuilder();
    assertThat(builder.depth()).isZero();
    assertThat(builder.length()).isZero();

    reader.next();
    builder.startElement(reader);
    assertThat(builder.depth()).isEqualTo(1);
    reader.next();
    builder.startElement(reader);
    assertThat(builder.depth()).isEqualTo(2);
    reader.next();
    assertThat(builder.endElement(reader)).isFalse();
    assertThat(builder.depth()).isEqualTo(1);
    assertThat(builder.length()).isPositive();
    reader.next();
    assertThat(builder.endElement(reader)).isTrue();
    assertThat(builder.depth()).isZero();
    assertThat(builder.build().xml()).hasSize(builder.length());
  }

  @Test
  void buildBeforeTheRootClosesIsAnError() throws Exception {
    StanzaBuilder builder = new StanzaBuilder();
    assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class);

    XMLStreamReader reader = WOODSTOX.createXMLStreamReader(new StringReader("<a><b/></a>"));
    reader.next();
    builder.startElement(reader);
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("depth: 1");
  }

  @Test
  void resetForgetsBindings() throws Exception {
    XMLStreamReader reader = WOODSTOX.createXMLStreamReader(
        new StringReader("<r><a xmlns='urn:a'><b/></a></r>"));
    StanzaBuilder builder = new StanzaBuilder();
    reader.next(); // <r>
    reader.next(); // <a>
    builder.startElement(reader);
    reader.next(); // <b/>
    builder.startElement(reader);
    builder.reset();
    assertThat(builder.depth()).isZero();
    assertThat(builder.length()).isZero();

    XMLStreamReader second = WOODSTOX.createXMLStreamReader(new StringReader("<c xmlns='urn:a'/>"));
    second.next();
    builder.startElement(second);
    second.next();
    builder.endElement(second);
    assertThat(XmlTree.declarations(builder.build().xml())).containsExactly(Map.of("", "urn:a"));
  }
}
