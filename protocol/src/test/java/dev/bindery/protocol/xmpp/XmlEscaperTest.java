package dev.bindery.protocol.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.testing.XmlTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class XmlEscaperTest {

  private static String text(String s) {
    StringBuilder out = new StringBuilder();
    XmlEscaper.escapeText(s, out);
    return out.toString();
  }

  @Test
  void charactersXmlCannotCarryBecomeReplacementCharacters() {
    assertThat(XmlEscaper.replaceUnencodable("a\u0000b\u001Fc\uFFFEd\uFFFF\te\nf\rg"))
        .isEqualTo("a\uFFFDb\uFFFDc\uFFFDd\uFFFD\te\nf\rg");
  }

  @Test
  void surrogatePairsAreKeptAndLoneHalvesReplaced() {
    String emoji = "\uD83D\uDE00";
    assertThat(XmlEscaper.replaceUnencodable("x" + emoji + "y")).isEqualTo("x" + emoji + "y");
    assertThat(XmlEscaper.replaceUnencodable("a\uD83Db")).isEqualTo("a\uFFFDb");
    assertThat(XmlEscaper.replaceUnencodable("a\uDE00b")).isEqualTo("a\uFFFDb");
    assertThat(XmlEscaper.replaceUnencodable("\uD83D")).isEqualTo("\uFFFD");
    assertThat(XmlEscaper.replaceUnencodable("\u0001" + emoji + "\uDE00"))
        .isEqualTo("\uFFFD" + emoji + "\uFFFD");
  }

  @Test
  void textWithNothingToReplaceIsReturnedAsIs() {
    String text = "hi! \u00e9 \uD83D\uDE00";
    assertThat(XmlEscaper.replaceUnencodable(text)).isSameAs(text);
  }

  @Test
  void textEscapesMarkupCharacters() {
    assertThat(text("a & b < c > d")).isEqualTo("a &amp; b &lt; c &gt; d");
  }

  @Test
  void textNeverContainsCdataEnd() {
    assertThat(text("x]]>y")).isEqualTo("x]]&gt;y");
  }

  @Test
  void textEscapesCarriageReturnSoLineEndNormalizationKeepsIt() {
    assertThat(text("a\r\nb\rc")).isEqualTo("a&#xD;\nb&#xD;c");
  }

  @Test
  void textLeavesQuotesTabsAndNewlinesAlone() {
    assertThat(text("\"'\t\n")).isEqualTo("\"'\t\n");
  }

  @Test
  void textLeavesUnicodeAlone() {
    assertThat(text("caf\u00e9 \uD83D\uDE00")).isEqualTo("caf\u00e9 \uD83D\uDE00");
  }

  @Test
  void textOfARangeEscapesOnlyThatRange() {
    StringBuilder out = new StringBuilder(">");
    char[] chars = "<&a\rb>".toCharArray();

    XmlEscaper.escapeText(chars, 1, 4, out);

    assertThat(out).hasToString(">&amp;a&#xD;b");
  }

  @Test
  void textAppendsToWhatIsThere() {
    StringBuilder out = new StringBuilder("<x>");
    XmlEscaper.escapeText("&", out);
    assertThat(out).hasToString("<x>&amp;");
  }

  @Test
  void attributeEscapesQuotesAndMarkup() {
    assertThat(XmlEscaper.escapeAttribute("&<>\"'")).isEqualTo("&amp;&lt;&gt;&quot;&apos;");
  }

  @Test
  void attributeEscapesWhitespaceThatNormalizationWouldTurnIntoSpaces() {
    assertThat(XmlEscaper.escapeAttribute("a\tb\nc\rd e")).isEqualTo("a&#x9;b&#xA;c&#xD;d e");
  }

  @Test
  void attributeWithoutSpecialCharactersIsUnchanged() {
    assertThat(XmlEscaper.escapeAttribute("juliet@example.com/balcony"))
        .isEqualTo("juliet@example.com/balcony");
    assertThat(XmlEscaper.escapeAttribute("")).isEmpty();
  }

  @Test
  void attributeAppendsToWhatIsThere() {
    StringBuilder out = new StringBuilder("a=\"");
    XmlEscaper.escapeAttribute("<", out);
    assertThat(out).hasToString("a=\"&lt;");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "plain",
      "&amp; is already escaped",
      "a\tb\nc\rd\r\ne",
      "  spaced  out  ",
      "\"double\" and 'single'",
      "]]> <!-- --> <?pi?> <![CDATA[",
      "\uD83D\uDE00\u65e5\u672c",
  })
  void escapedValuesParseBackToTheOriginal(String value) {
    String escapedAttribute = XmlEscaper.escapeAttribute(value);

    assertThat(XmlTree.parse("<a v=\"" + escapedAttribute + "\"/>").attribute("v")).isEqualTo(value);
    assertThat(XmlTree.parse("<a v='" + escapedAttribute + "'/>").attribute("v")).isEqualTo(value);
    assertThat(XmlTree.parse("<a>" + text(value) + "</a>").text()).isEqualTo(value);
  }
}
