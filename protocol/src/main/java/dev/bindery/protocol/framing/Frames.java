package dev.bindery.protocol.framing;

import dev.bindery.protocol.xmpp.Namespaces;
import dev.bindery.protocol.xmpp.XmlEscaper;

/**
 * Stateless. The stream headers a connection manager sends to a WebSocket client (RFC 7395
 * §3.3.2, §3.6): each a whole message by itself.
 */
public final class Frames {

  private Frames() {}

  /**
   * The answer to the client's {@code <open/>}, carrying the server's stream attributes (RFC
   * 6120 §4.7); null arguments are left out.
   */
  public static String open(String from, String id, String version, String lang) {
    StringBuilder xml = new StringBuilder(160).append("<open xmlns='")
        .append(Namespaces.FRAMING).append('\'');
    attribute(xml, "from", from);
    attribute(xml, "id", id);
    attribute(xml, "version", version);
    attribute(xml, "xml:lang", lang);
    return xml.append("/>").toString();
  }

  /** {@code <close/>}: the stream is over. */
  public static String close() {
    return "<close xmlns='" + Namespaces.FRAMING + "'/>";
  }

  /** {@code <close see-other-uri='…'/>}: the client should go on at {@code uri} (§3.6.1). */
  public static String closeSeeOther(String uri) {
    StringBuilder xml = new StringBuilder(120).append("<close xmlns='")
        .append(Namespaces.FRAMING).append('\'');
    attribute(xml, "see-other-uri", uri);
    return xml.append("/>").toString();
  }

  private static void attribute(StringBuilder xml, String name, String value) {
    if (value != null) {
      xml.append(' ').append(name).append("='");
      XmlEscaper.escapeAttribute(value, xml);
      xml.append('\'');
    }
  }
}
