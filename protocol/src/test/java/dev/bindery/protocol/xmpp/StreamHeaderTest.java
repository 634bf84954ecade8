package dev.bindery.protocol.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.testing.XmlTree;
import java.util.Map;
import javax.xml.namespace.QName;
import org.junit.jupiter.api.Test;

class StreamHeaderTest {

  private static XmlTree parse(StreamHeader header) {
    return XmlTree.parse(header.toXml() + StreamHeader.CLOSE);
  }

  @Test
  void opensAJabberClientStream() {
    XmlTree stream = parse(new StreamHeader("example.com", "juliet@example.com", "1.0", "en"));

    assertThat(stream.name()).isEqualTo(new QName(Namespaces.STREAM, "stream"));
    assertThat(stream.attributes()).isEqualTo(Map.of(
        new QName("to"), "example.com",
        new QName("from"), "juliet@example.com",
        new QName("version"), "1.0",
        new QName(Namespaces.XML, "lang"), "en"));
    assertThat(XmlTree.declarations(new StreamHeader("example.com", null, null, null).toXml()
        + StreamHeader.CLOSE)).containsExactly(
        Map.of("", Namespaces.JABBER_CLIENT, "stream", Namespaces.STREAM));
  }

  @Test
  void leavesOutWhatTheClientDidNotSend() {
    XmlTree stream = parse(new StreamHeader("example.com", null, null, null));

    assertThat(stream.attributes()).isEqualTo(Map.of(new QName("to"), "example.com"));
  }

  @Test
  void startsWithAnXmlDeclaration() {
    assertThat(new StreamHeader("example.com", null, null, null).toXml()).startsWith("<?xml ");
  }

  @Test
  void escapesAttributeValues() {
    XmlTree stream = parse(new StreamHeader("a'b&c", "<x>\"", "1.0", "en\tGB"));

    assertThat(stream.attribute("to")).isEqualTo("a'b&c");
    assertThat(stream.attribute("from")).isEqualTo("<x>\"");
    assertThat(stream.attributes().get(new QName(Namespaces.XML, "lang"))).isEqualTo("en\tGB");
  }

  @Test
  void stanzasWrittenIntoTheStreamKeepTheirMeaning() {
    Stanza features = new Stanza(Namespaces.STREAM, "features",
        "<stream:features xmlns:stream=\"http://etherx.jabber.org/streams\"/>");
    String header = new StreamHeader("example.com", null, "1.0", null).toXml();

    XmlTree stream = XmlTree.parse(header + features.xml() + StreamHeader.CLOSE);

    assertThat(stream.elements()).containsExactly(XmlTree.parse(features.xml()));
  }
}
