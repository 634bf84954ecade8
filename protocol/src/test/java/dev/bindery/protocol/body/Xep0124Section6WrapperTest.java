package dev.bindery.protocol.body;

import static dev.bindery.protocol.body.BindingCondition.BAD_REQUEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bindery.protocol.xmpp.Namespaces;
import dev.bindery.protocol.xmpp.Stanza;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * XEP-0124 v1.11.2 §6 "&lt;body/&gt; Wrapper Element" (https://xmpp.org/extensions/xep-0124.html#wrapper)
 * and XEP-0206 v1.4 §2 (https://xmpp.org/extensions/xep-0206.html#wrapper), as the parser enforces
 * them on client requests.
 */
class Xep0124Section6WrapperTest {

  private static final String OPEN = "<body xmlns='http://jabber.org/protocol/httpbind' rid='1'";

  private final BodyParser parser = new BodyParser();

  private Body parse(String xml) throws BodyParseException {
    return parser.parse(xml.getBytes(StandardCharsets.UTF_8));
  }

  private void assertBadRequest(String xml) {
    assertThatThrownBy(() -> parse(xml))
        .isInstanceOfSatisfying(BodyParseException.class,
            e -> assertThat(e.condition()).isEqualTo(BAD_REQUEST));
  }

  /*
   * "The body of each HTTP request and response contains a single <body/> wrapper element
   * qualified by the 'http://jabber.org/protocol/httpbind' namespace."
   */
  @ParameterizedTest
  @ValueSource(strings = {
      "<body rid='1'/>",
      "<body xmlns='jabber:client' rid='1'/>",
      "<wrapper xmlns='http://jabber.org/protocol/httpbind' rid='1'/>",
  })
  void rootOtherThanHttpbindBodyIsBadRequest(String xml) {
    assertBadRequest(xml);
  }

  /* "The <body/> element and its content together MUST conform to the specifications set out in XML 1.0." */
  @Test
  void xml11IsBadRequest() {
    assertBadRequest("<?xml version='1.1'?>" + OPEN + "/>");
  }

  /* "The content MUST NOT contain any of the following [...]: Partial XML elements" */
  @ParameterizedTest
  @ValueSource(strings = {
      OPEN + "><message xmlns='jabber:client'></body>",
      OPEN + "><message xmlns='jabber:client'>",
      OPEN + "></message></body>",
      OPEN + "><message xmlns='jabber:client'><body>hi</body>",
  })
  void partialElementIsBadRequest(String xml) {
    assertBadRequest(xml);
  }

  /* "The content MUST NOT contain any of the following [...]: XML comments" */
  @ParameterizedTest
  @ValueSource(strings = {
      "<!-- before -->" + OPEN + "/>",
      OPEN + "><!-- inside --></body>",
      OPEN + "><message xmlns='jabber:client'><!-- in a payload --></message></body>",
      OPEN + "/><!-- after -->",
  })
  void commentIsBadRequest(String xml) {
    assertBadRequest(xml);
  }

  /* "The content MUST NOT contain any of the following [...]: XML processing instructions" */
  @ParameterizedTest
  @ValueSource(strings = {
      "<?xml-stylesheet href='a.xsl'?>" + OPEN + "/>",
      OPEN + "><?target data?></body>",
      OPEN + "><message xmlns='jabber:client'><?target data?></message></body>",
      OPEN + "/><?target data?>",
  })
  void processingInstructionIsBadRequest(String xml) {
    assertBadRequest(xml);
  }

  /* "The content MUST NOT contain any of the following [...]: Internal or external DTD subsets" */
  @ParameterizedTest
  @ValueSource(strings = {
      "<!DOCTYPE body>" + OPEN + "/>",
      "<!DOCTYPE body [<!ELEMENT body ANY>]>" + OPEN + "/>",
      "<!DOCTYPE body SYSTEM 'http://example.com/evil.dtd'>" + OPEN + "/>",
      "<!DOCTYPE body PUBLIC '-//EVIL//DTD//EN' 'file:///etc/passwd'>" + OPEN + "/>",
      "<!DOCTYPE body [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]>" + OPEN
          + "><message xmlns='jabber:client'>&xxe;</message></body>",
      "<!DOCTYPE body [<!ENTITY % p SYSTEM 'http://example.com/p.dtd'> %p;]>" + OPEN + "/>",
  })
  void dtdIsBadRequest(String xml) {
    assertBadRequest(xml);
  }

  /* The same rule stops entity expansion bombs before any expansion happens. */
  @Test
  void billionLaughsIsBadRequest() {
    StringBuilder dtd = new StringBuilder("<?xml version='1.0'?><!DOCTYPE body [<!ENTITY lol0 'lol'>");
    for (int i = 1; i <= 9; i++) {
      dtd.append("<!ENTITY lol").append(i).append(" '");
      for (int j = 0; j < 10; j++) {
        dtd.append("&lol").append(i - 1).append(';');
      }
      dtd.append("'>");
    }
    dtd.append("]>");

    assertBadRequest(dtd + OPEN + "><message xmlns='jabber:client'>&lol9;</message></body>");
    assertBadRequest(dtd + OPEN + " to='&lol9;'/>");
  }

  /*
   * "The content MUST NOT contain any of the following [...]: Internal or external entity
   * references (with the exception of predefined entities)"
   */
  @ParameterizedTest
  @ValueSource(strings = {
      OPEN + "><message xmlns='jabber:client'>&nbsp;</message></body>",
      OPEN + "><message xmlns='jabber:client'>&lol;</message></body>",
      OPEN + " to='&foo;'/>",
      OPEN + "><message xmlns='jabber:client' to='&foo;'/></body>",
      OPEN + ">&foo;</body>",
  })
  void undeclaredEntityReferenceIsBadRequest(String xml) {
    assertBadRequest(xml);
  }

  /* (with the exception of predefined entities) */
  @Test
  void predefinedEntitiesAreAllowed() throws Exception {
    Body body = parse(OPEN + " to='&amp;&lt;&gt;&quot;&apos;'>"
        + "<message xmlns='jabber:client'>&amp;&lt;&gt;&quot;&apos;&#38;&#x26;</message></body>");

    assertThat(body.attribute(BodyAttribute.TO)).hasValue("&<>\"'");
    assertThat(body.payloads()).hasSize(1);
  }

  /* "The <body/> wrapper MUST NOT contain any XML character data, although its child elements MAY contain character data." */
  @ParameterizedTest
  @ValueSource(strings = {
      OPEN + ">hello</body>",
      OPEN + "><message xmlns='jabber:client'/>hello</body>",
      OPEN + ">hello<message xmlns='jabber:client'/></body>",
      OPEN + ">&amp;</body>",
      OPEN + ">&#65;</body>",
      OPEN + "><![CDATA[hello]]></body>",
      OPEN + ">\u00a0</body>",
  })
  void characterDataInTheWrapperIsBadRequest(String xml) {
    assertBadRequest(xml);
  }

  /* "[...] although its child elements MAY contain character data." */
  @Test
  void characterDataInPayloadsIsAllowed() throws Exception {
    Body body = parse(OPEN + "><message xmlns='jabber:client'><body>hello</body></message></body>");

    assertThat(body.payloads()).hasSize(1);
  }

  /*
   * "The <body/> wrapper MUST contain zero or more complete XML immediate child elements (called
   * "payloads" in this document [...])."
   */
  @Test
  void zeroPayloadsIsAnEmptyBody() throws Exception {
    assertThat(parse(OPEN + "/>").payloads()).isEmpty();
    assertThat(parse(OPEN + "></body>").payloads()).isEmpty();
  }

  /* "Each <body/> wrapper MAY contain payloads qualified under a wide variety of different namespaces." */
  @Test
  void payloadsInDifferentNamespacesAreEachKept() throws Exception {
    Body body = parse(OPEN + "><message xmlns='jabber:client'/>"
        + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'/>"
        + "<json:json xmlns:json='urn:xmpp:json:0'>[]</json:json></body>");

    assertThat(body.payloads()).extracting(Stanza::namespace)
        .containsExactly(Namespaces.JABBER_CLIENT, Namespaces.SASL, "urn:xmpp:json:0");
    assertThat(body.payloads()).extracting(Stanza::localName)
        .containsExactly("message", "auth", "json");
  }

  /*
   * XEP-0206 §2: "Many existing XMPP-specific implementations of BOSH clients and connection
   * managers do not specify the namespace of <message/>, <presence/>, or <iq/> elements [...]
   * They instead simply assume that the full content of the 'jabber:client' namespace is a subset
   * of the 'http://jabber.org/protocol/httpbind' namespace."
   */
  @Test
  void stanzasWithoutJabberClientAreRelayedAsJabberClient() throws Exception {
    Body body = parse(OPEN + "><message to='a@example.com'/><presence/><iq type='get' id='1'/></body>");

    assertThat(body.payloads()).allSatisfy(s -> {
      assertThat(s.namespace()).isEqualTo(Namespaces.JABBER_CLIENT);
      assertThat(s.isRoutable()).isTrue();
    });
  }
}
