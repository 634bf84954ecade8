package dev.bindery.protocol.xmpp;

/** Thread-safe: stateless. Escapes text and attribute values for XML 1.0 output. */
public final class XmlEscaper {

  /** What stands in for a character XML cannot carry. */
  public static final char REPLACEMENT = '\uFFFD';

  private XmlEscaper() {}

  /**
   * Returns {@code s} with every character XML 1.0 cannot carry at all (C0 controls other than
   * tab, line feed and carriage return; U+FFFE and U+FFFF; lone surrogate halves) replaced by
   * U+FFFD, so that any Java string can be escaped into well-formed content; {@code s} itself
   * when it has none. Text parsed from XML never has any: this is for text from elsewhere.
   */
  public static String replaceUnencodable(String s) {
    StringBuilder out = null;
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      boolean pair = Character.isHighSurrogate(c) && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1));
      if (pair) {
        if (out != null) {
          out.append(c).append(s.charAt(i + 1));
        }
        i++;
        continue;
      }
      boolean unencodable = (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
          || c == '\uFFFE' || c == '\uFFFF' || Character.isSurrogate(c);
      if (unencodable && out == null) {
        out = new StringBuilder(n).append(s, 0, i);
      }
      if (out != null) {
        out.append(unencodable ? REPLACEMENT : c);
      }
    }
    return out == null ? s : out.toString();
  }

  /**
   * The index of the first character XML 1.0 cannot carry (as {@link #replaceUnencodable} counts
   * them), or -1 when there is none. Woodstox refuses such characters in UTF-8 bytes, but lets
   * U+FFFE and U+FFFF through from a {@code Reader} or a UTF-16 document: what the parsers keep
   * is checked with this, so that nothing they accept is written out as XML that does not parse.
   */
  public static int firstUnencodable(CharSequence s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r')
          || c == '\uFFFE' || c == '\uFFFF' || Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /** Appends {@code text} escaped for character data. */
  public static void escapeText(char[] text, int start, int length, StringBuilder out) {
    int end = start + length;
    int run = start;
    for (int i = start; i < end; i++) {
      String replacement = switch (text[i]) {
        case '&' -> "&amp;";
        case '<' -> "&lt;";
        case '>' -> "&gt;"; // keeps "]]>" from ever appearing in output
        case '\r' -> "&#xD;"; // survives end-of-line normalization
        default -> null;
      };
      if (replacement != null) {
        out.append(text, run, i - run).append(replacement);
        run = i + 1;
      }
    }
    out.append(text, run, end - run);
  }

  /** Appends {@code text} escaped for character data. */
  public static void escapeText(String text, StringBuilder out) {
    escapeText(text.toCharArray(), 0, text.length(), out);
  }

  /** Appends {@code value} escaped for a double- or single-quoted attribute value. */
  public static void escapeAttribute(String value, StringBuilder out) {
    int run = 0;
    for (int i = 0, n = value.length(); i < n; i++) {
      String replacement = switch (value.charAt(i)) {
        case '&' -> "&amp;";
        case '<' -> "&lt;";
        case '>' -> "&gt;";
        case '"' -> "&quot;";
        case '\'' -> "&apos;";
        // attribute-value normalization would turn these into spaces
        case '\t' -> "&#x9;";
        case '\n' -> "&#xA;";
        case '\r' -> "&#xD;";
        default -> null;
      };
      if (replacement != null) {
        out.append(value, run, i).append(replacement);
        run = i + 1;
      }
    }
    out.append(value, run, value.length());
  }

  /** Returns {@code value} escaped for an attribute value. */
  public static String escapeAttribute(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    escapeAttribute(value, out);
    return out.toString();
  }
}
