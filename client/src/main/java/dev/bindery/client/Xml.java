package dev.bindery.client;

import dev.bindery.protocol.xmpp.XmlEscaper;

/**
 * Thread-safe: stateless. The XML names the client writes, and its escaping of character data
 * and attribute values for XML 1.0 (the protocol module's {@link XmlEscaper}).
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

  private Xml() {}

  /** Escapes {@code text} as character data; returns {@code text} itself if nothing changed. */
  static String escapeText(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    XmlEscaper.escapeText(XmlEscaper.replaceUnencodable(text), out);
    return sameOr(text, out);
  }

  /** Escapes {@code value} for a single- or double-quoted attribute value. */
  static String escapeAttribute(String value) {
    StringBuilder out = new StringBuilder(value.length() + 16);
    XmlEscaper.escapeAttribute(XmlEscaper.replaceUnencodable(value), out);
    return sameOr(value, out);
  }

  private static String sameOr(String original, StringBuilder escaped) {
    return original.contentEquals(escaped) ? original : escaped.toString();
  }
}
