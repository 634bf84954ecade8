package dev.bindery.loadtest;

/**
 * Thread-safe: stateless. Escapes character data and attribute values for XML 1.0.
 *
 * <p>Characters that XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE and
 * U+FFFF) are replaced by U+FFFD, so any Java string becomes well-formed content. Carriage returns
 * are written as character references so that end-of-line normalization (XML 1.0 §2.11) keeps
 * them, and in attribute values tab and line feed are too, so that attribute-value normalization
 * (§3.3.3) keeps them.
 */
final class Xml {

  /** The body wrapper namespace of XEP-0124. */
  static final String NS_HTTPBIND = "http://jabber.org/protocol/httpbind";
  /** The namespace of XEP-0206's attributes on the body wrapper. */
  static final String NS_XBOSH = "urn:xmpp:xbosh";
  static final String NS_CLIENT = "jabber:client";
  static final String NS_STREAM = "http://etherx.jabber.org/streams";
  static final String NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
  static final String NS_BIND = "urn:ietf:params:xml:ns:xmpp-bind";
  static final String NS_SESSION = "urn:ietf:params:xml:ns:xmpp-session";
  static final String NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
  static final String NS_STREAMS_ERRORS = "urn:ietf:params:xml:ns:xmpp-streams";
  static final String NS_XML = "http://www.w3.org/XML/1998/namespace";

  private static final char REPLACEMENT = '\uFFFD';

  private Xml() {}

  /** Escapes {@code text} for use as character data between tags. */
  static String escapeText(String text) {
    return escape(text, false);
  }

  /** Escapes {@code value} for use inside a single- or double-quoted attribute value. */
  static String escapeAttribute(String value) {
    return escape(value, true);
  }

  private static String escape(String s, boolean attribute) {
    StringBuilder out = null;
    int length = s.length();
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      String replacement = replacement(s, i, c, attribute);
      if (replacement == null) {
        if (out != null) {
          out.append(c);
        }
        continue;
      }
      if (out == null) {
        out = new StringBuilder(length + 16).append(s, 0, i);
      }
      if (replacement.isEmpty()) {
        // A valid surrogate pair: copy both halves.
        out.append(c).append(s.charAt(++i));
      } else {
        out.append(replacement);
      }
    }
    return out == null ? s : out.toString();
  }

  /**
   * Returns null to copy {@code c} as is, "" for the high half of a valid surrogate pair, and
   * otherwise the text to write instead of {@code c}.
   */
  private static String replacement(String s, int i, char c, boolean attribute) {
    switch (c) {
      case '&':
        return "&amp;";
      case '<':
        return "&lt;";
      case '>':
        return "&gt;";
      case '\r':
        return "&#xD;";
      case '\'':
        return attribute ? "&apos;" : null;
      case '"':
        return attribute ? "&quot;" : null;
      case '\t':
        return attribute ? "&#x9;" : null;
      case '\n':
        return attribute ? "&#xA;" : null;
      default:
        break;
    }
    if (c < 0x20 || c == '\uFFFE' || c == '\uFFFF') {
      return String.valueOf(REPLACEMENT);
    }
    if (Character.isHighSurrogate(c)) {
      boolean paired = i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
      return paired ? "" : String.valueOf(REPLACEMENT);
    }
    if (Character.isLowSurrogate(c)) {
      // A low half that follows its high half was consumed with it; this one is alone.
      return String.valueOf(REPLACEMENT);
    }
    return null;
  }
}
