package dev.bindery.client;

/**
 * Thread-safe: stateless. Serializes the XMPP elements a XEP-0206 client sends, each qualified
 * by its namespace as XEP-0206 §3 asks (stanzas by {@code jabber:client}), with every value
 * escaped.
 */
final class Stanzas {

  private Stanzas() {}

  /** RFC 6120 §6.4.2: {@code <auth/>} with the initial response. */
  static String auth(String mechanism, String initialResponse) {
    return "<auth xmlns='" + Xml.NS_SASL + "' mechanism='" + Xml.escapeAttribute(mechanism) + "'>"
        + Xml.escapeText(initialResponse) + "</auth>";
  }

  /** RFC 6120 §7.6: the bind request, asking for {@code resource} or, if null, any. */
  static String bind(String id, String resource) {
    String inner = resource == null
        ? "<bind xmlns='" + Xml.NS_BIND + "'/>"
        : "<bind xmlns='" + Xml.NS_BIND + "'><resource>" + Xml.escapeText(resource)
            + "</resource></bind>";
    return "<iq xmlns='" + Xml.NS_CLIENT + "' type='set' id='" + Xml.escapeAttribute(id) + "'>"
        + inner + "</iq>";
  }

  /** RFC 3921 §3: the legacy session establishment request. */
  static String session(String id) {
    return "<iq xmlns='" + Xml.NS_CLIENT + "' type='set' id='" + Xml.escapeAttribute(id) + "'>"
        + "<session xmlns='" + Xml.NS_SESSION + "'/></iq>";
  }

  /** RFC 6121 §4.2: initial presence. */
  static String presence() {
    return "<presence xmlns='" + Xml.NS_CLIENT + "'/>";
  }

  /** RFC 6121 §4.5: unavailable presence, sent with the terminate request. */
  static String unavailablePresence() {
    return "<presence xmlns='" + Xml.NS_CLIENT + "' type='unavailable'/>";
  }

  /** RFC 6121 §5.2: a {@code chat} message with a body. */
  static String chatMessage(String id, String to, String body) {
    return "<message xmlns='" + Xml.NS_CLIENT + "' type='chat' id='" + Xml.escapeAttribute(id)
        + "' to='" + Xml.escapeAttribute(to) + "'><body>" + Xml.escapeText(body)
        + "</body></message>";
  }

  /**
   * RFC 6120 §8.2.3 and §8.3: the error reply to an {@code iq} get or set this client does not
   * handle, {@code service-unavailable}.
   */
  static String serviceUnavailable(XmlElement iq) {
    StringBuilder xml = new StringBuilder("<iq xmlns='").append(Xml.NS_CLIENT)
        .append("' type='error'");
    String id = iq.attribute("id");
    if (id != null) {
      xml.append(" id='").append(Xml.escapeAttribute(id)).append('\'');
    }
    String from = iq.attribute("from");
    if (from != null) {
      xml.append(" to='").append(Xml.escapeAttribute(from)).append('\'');
    }
    return xml.append("><error type='cancel'><service-unavailable xmlns='")
        .append(Xml.NS_STANZAS).append("'/></error></iq>").toString();
  }
}
