package dev.bindery.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class XmlTest {

  @Test
  void textEscapesMarkupAndKeepsQuotes() {
    assertThat(Xml.escapeText("a < b && c > 'd' \"e\""))
        .isEqualTo("a &lt; b &amp;&amp; c &gt; 'd' \"e\"");
  }

  @Test
  void attributesEscapeBothQuotesAndWhitespaceThatNormalizationWouldEat() {
    assertThat(Xml.escapeAttribute("'x\" <&>\t\n\r"))
        .isEqualTo("&apos;x&quot; &lt;&amp;&gt;&#x9;&#xA;&#xD;");
  }

  @Test
  void plainTextIsReturnedAsIs() {
    String text = "hi! Today is Sat Nov 28 2026";
    assertThat(Xml.escapeText(text)).isSameAs(text);
  }

  @Test
  void charactersXmlCannotCarryBecomeReplacementCharacters() {
    assertThat(Xml.escapeText("a\u0000b\u001Fc\uFFFEd\uFFFF"))
        .isEqualTo("a\uFFFDb\uFFFDc\uFFFDd\uFFFD");
  }

  @Test
  void surrogatePairsAreKeptAndLoneHalvesReplaced() {
    String emoji = "\uD83D\uDE00";
    assertThat(Xml.escapeText("x" + emoji + "y")).isEqualTo("x" + emoji + "y");
    assertThat(Xml.escapeText("a\uD83Db")).isEqualTo("a\uFFFDb");
    assertThat(Xml.escapeText("a\uDE00b")).isEqualTo("a\uFFFDb");
    assertThat(Xml.escapeText("\uD83D")).isEqualTo("\uFFFD");
  }

  @ParameterizedTest
  @ValueSource(strings = {"plain", "<tag attr='v'>&amp;</tag>", "line\r\nbreak\ttab",
      "quotes ' \" ", "\uD83D\uDE00 and \u00e9", "]]>", "&#x41;"})
  void escapedValuesParseBackToTheOriginal(String value) throws Exception {
    String document = "<e a='" + Xml.escapeAttribute(value) + "' b=\""
        + Xml.escapeAttribute(value) + "\">" + Xml.escapeText(value) + "</e>";

    XmlElement parsed = ResponseParser.parseElement(document);

    assertThat(parsed.text()).isEqualTo(value);
    assertThat(parsed.attribute("a")).isEqualTo(value);
    assertThat(parsed.attribute("b")).isEqualTo(value);
  }
}
