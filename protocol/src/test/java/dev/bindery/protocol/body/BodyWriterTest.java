package dev.bindery.protocol.body;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.testing.BodySchema;
import dev.bindery.protocol.testing.XmlTree;
import dev.bindery.protocol.xmpp.Namespaces;
import dev.bindery.protocol.xmpp.Stanza;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.namespace.QName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BodyWriterTest {

  private static final QName BODY = new QName(Namespaces.HTTPBIND, "body");

  private static final Stanza MESSAGE = new Stanza(Namespaces.JABBER_CLIENT, "message",
      "<message xmlns=\"jabber:client\" from=\"romeo@example.net\"><body>hi &amp; bye</body>"
          + "</message>");
  private static final Stanza FEATURES = new Stanza(Namespaces.STREAM, "features",
      "<stream:features xmlns:stream=\"http://etherx.jabber.org/streams\">"
          + "<bind xmlns=\"urn:ietf:params:xml:ns:xmpp-bind\"/></stream:features>");
  private static final Stanza STREAM_ERROR = new Stanza(Namespaces.STREAM, "error",
      "<stream:error xmlns:stream=\"http://etherx.jabber.org/streams\">"
          + "<host-unknown xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\"/></stream:error>");

  @Test
  void emptyBodyIsSelfClosing() {
    String xml = BodyWriter.toXml(Body.empty());

    assertThat(xml).endsWith("/>");
    XmlTree body = XmlTree.parse(xml);
    assertThat(body.name()).isEqualTo(BODY);
    assertThat(body.attributes()).isEmpty();
    assertThat(body.children()).isEmpty();
    BodySchema.assertValid(xml);
  }

  @Test
  void bodyWithAttributesButNoPayloadsIsSelfClosing() {
    String xml = BodyWriter.toXml(Body.builder().sid("s").rid(1).build());

    assertThat(xml).endsWith("/>");
    assertThat(XmlTree.parse(xml).children()).isEmpty();
  }

  @Test
  void writesEveryAttributeWithItsValue() {
    Body body = Body.builder()
        .attribute(BodyAttribute.SID, "SomeSID")
        .attribute(BodyAttribute.WAIT, "60")
        .attribute(BodyAttribute.REQUESTS, "2")
        .attribute(BodyAttribute.HOLD, "1")
        .attribute(BodyAttribute.VER, "1.6")
        .attribute(BodyAttribute.FROM, "example.com")
        .attribute(BodyAttribute.XML_LANG, "en")
        .build();

    String xml = BodyWriter.toXml(body);

    assertThat(XmlTree.parse(xml).attributes()).isEqualTo(body.attributes());
    BodySchema.assertValid(xml);
  }

  @Test
  void xmlLangNeedsNoDeclaration() {
    String xml = BodyWriter.toXml(Body.builder().attribute(BodyAttribute.XML_LANG, "en").build());

    assertThat(XmlTree.declarations(xml)).containsExactly(Map.of("", Namespaces.HTTPBIND));
  }

  @Test
  void declaresXmppPrefixWhenXmppAttributesArePresent() {
    Body body = Body.builder()
        .attribute(BodyAttribute.XMPP_VERSION, "1.0")
        .attribute(BodyAttribute.XMPP_RESTARTLOGIC, "true")
        .build();

    String xml = BodyWriter.toXml(body);

    assertThat(XmlTree.declarations(xml).get(0)).containsEntry("xmpp", Namespaces.XBOSH);
    assertThat(XmlTree.parse(xml).attributes()).isEqualTo(body.attributes());
    BodySchema.assertValid(xml);
  }

  @Test
  void declaresNoXmppPrefixWithoutXmppAttributes() {
    String xml = BodyWriter.toXml(Body.builder().sid("s").build());

    assertThat(XmlTree.declarations(xml)).containsExactly(Map.of("", Namespaces.HTTPBIND));
  }

  @Test
  void declaresStreamPrefixOnTheBodyWhenAPayloadIsInTheStreamNamespace() {
    // XEP-0206 §2: "the BOSH <body/> element MUST include the namespace xmlns:stream=[...]"
    for (Stanza streamElement : List.of(FEATURES, STREAM_ERROR)) {
      String xml = BodyWriter.toXml(Body.builder().payload(MESSAGE).payload(streamElement).build());

      assertThat(XmlTree.declarations(xml).get(0)).containsEntry("stream", Namespaces.STREAM);
      BodySchema.assertValid(xml);
    }
  }

  @Test
  void declaresNoStreamPrefixWithoutStreamPayloads() {
    String xml = BodyWriter.toXml(Body.builder().payload(MESSAGE).build());

    assertThat(XmlTree.declarations(xml).get(0)).doesNotContainKey("stream");
  }

  @Test
  void attributesInOtherNamespacesGetTheirOwnPrefixes() {
    Body body = Body.builder()
        .attribute(new QName("urn:one", "a", "p"), "1")
        .attribute(new QName("urn:two", "b"), "2")
        .attribute(new QName("urn:one", "c"), "3")
        .attribute(BodyAttribute.XMPP_VERSION, "1.0")
        .build();

    String xml = BodyWriter.toXml(body);

    assertThat(XmlTree.parse(xml).attributes()).isEqualTo(body.attributes());
    BodySchema.assertValid(xml);
  }

  @Test
  void escapesAttributeValues() {
    Body body = Body.builder()
        .attribute(BodyAttribute.FROM, "\"'<>&")
        .attribute(BodyAttribute.AUTHID, "tab\there\nnewline\rreturn")
        .attribute(BodyAttribute.TO, "caf\u00e9 \uD83D\uDE00")
        .attribute(new QName("urn:\"odd\"&'ns'", "x"), "y")
        .build();

    String xml = BodyWriter.toXml(body);

    assertThat(XmlTree.parse(xml).attributes()).isEqualTo(body.attributes());
  }

  @Test
  void writesPayloadsVerbatimInOrder() {
    Body body = Body.builder().payload(MESSAGE).payload(FEATURES).payload(MESSAGE).build();

    XmlTree written = XmlTree.parse(BodyWriter.toXml(body));

    assertThat(written.children()).containsExactly(
        XmlTree.parse(MESSAGE.xml()), XmlTree.parse(FEATURES.xml()), XmlTree.parse(MESSAGE.xml()));
  }

  @Test
  void outputParsesBackToTheSameAttributesAndPayloads() throws Exception {
    Map<QName, String> attributes = new LinkedHashMap<>();
    attributes.put(BodyAttribute.TYPE, "terminate");
    attributes.put(BodyAttribute.CONDITION, "remote-stream-error");
    attributes.put(BodyAttribute.XMPP_VERSION, "1.0");
    Body.Builder builder = Body.builder().payload(MESSAGE).payload(STREAM_ERROR);
    attributes.forEach(builder::attribute);
    Body body = builder.build();

    String xml = BodyWriter.toXml(body);

    XmlTree parsed = XmlTree.parse(xml);
    assertThat(parsed.attributes()).isEqualTo(attributes);
    assertThat(parsed.children())
        .containsExactly(XmlTree.parse(MESSAGE.xml()), XmlTree.parse(STREAM_ERROR.xml()));
    Body reparsed = new BodyParser().parse(BodyWriter.toBytes(body));
    assertThat(reparsed.attributes()).isEqualTo(attributes);
    assertThat(reparsed.payloads()).extracting(s -> XmlTree.parse(s.xml()))
        .containsExactly(XmlTree.parse(MESSAGE.xml()), XmlTree.parse(STREAM_ERROR.xml()));
    BodySchema.assertValid(xml);
  }

  @Test
  void bytesAreUtf8() {
    Body body = Body.builder().attribute(BodyAttribute.FROM, "\u00e9\uD83D\uDE00").build();

    assertThat(BodyWriter.toBytes(body))
        .isEqualTo(BodyWriter.toXml(body).getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @EnumSource(BindingCondition.class)
  void everyTerminalConditionIsValidPerTheSchema(BindingCondition condition) {
    String xml = BodyWriter.toXml(Body.builder().terminate(condition).build());

    BodySchema.assertValid(xml);
    assertThat(XmlTree.parse(xml).attribute("condition")).isEqualTo(condition.value());
  }

  @Test
  void recoverableErrorIsValidPerTheSchema() {
    BodySchema.assertValid(BodyWriter.toXml(
        Body.builder().attribute(BodyAttribute.TYPE, "error").build()));
  }

  @Test
  void schemaRejectsWhatXep0124Forbids() {
    // the validator used throughout the tests is not a no-op
    assertThat(BodySchema.isValid(BodyWriter.toXml(
        Body.builder().attribute(BodyAttribute.CONDITION, "no-such-condition").build()))).isFalse();
    assertThat(BodySchema.isValid(BodyWriter.toXml(
        Body.builder().attribute(BodyAttribute.HOLD, "256").build()))).isFalse();
    assertThat(BodySchema.isValid(BodyWriter.toXml(
        Body.builder().attribute(BodyAttribute.RID, "0").build()))).isFalse();
    assertThat(BodySchema.isValid(BodyWriter.toXml(
        Body.builder().attribute(new QName("unknown"), "x").build()))).isFalse();
    assertThat(BodySchema.isValid("<body xmlns='http://jabber.org/protocol/httpbind'>text</body>"))
        .isFalse();
  }
}
