package dev.bindery.protocol.xmpp;


/**
 * Immutable. The opening {@code <stream:stream>} tag the connection manager sends to the XMPP
 * server for a session, at the start and again on every restart (XEP-0206 §5).
 *
 * @param to      the served domain the client asked for
 * @param from    the client's {@code from}, or null
 * @param version the stream version, from the client's {@code xmpp:version} (XEP-0206 §3), or null
 * @param lang    the client's {@code xml:lang}, or null
 */
public record StreamHeader(String to, String from, String version, String lang) {

  /** The opening tag; the stream stays open until {@link #CLOSE}. */
  public String toXml() {
    StringBuilder out = new StringBuilder(200);
    out.append("<?xml version='1.0'?><stream:stream xmlns='").append(Namespaces.JABBER_CLIENT)
        .append("' xmlns:stream='").append(Namespaces.STREAM).append("' to='");
    XmlEscaper.escapeAttribute(to, out);
    out.append('\'');
    if (from != null) {
      out.append(" from='");
      XmlEscaper.escapeAttribute(from, out);
      out.append('\'');
    }
    if (version != null) {
      out.append(" version='");
      XmlEscaper.escapeAttribute(version, out);
      out.append('\'');
    }
    if (lang != null) {
      out.append(" xml:lang='");
      XmlEscaper.escapeAttribute(lang, out);
      out.append('\'');
    }
    return out.append('>').toString();
  }

  /** The closing tag. */
  public static final String CLOSE = "</stream:stream>";
}
