package dev.bindery.protocol.xmpp;

/** Thread-safe: stateless. Escapes text and attribute values for XML 1.0 output. */
public final class XmlEscaper {

  private XmlEscaper() {}

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
