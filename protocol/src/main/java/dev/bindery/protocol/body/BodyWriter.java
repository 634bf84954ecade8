package dev.bindery.protocol.body;

import dev.bindery.protocol.xmpp.Namespaces;
import dev.bindery.protocol.xmpp.Stanza;
import dev.bindery.protocol.xmpp.XmlEscaper;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import javax.xml.namespace.QName;

/**
 * Thread-safe: stateless. Writes a {@link Body} as UTF-8 XML. Payloads are written verbatim (each
 * {@link Stanza} declares its own namespaces, so stanzas carry {@code xmlns='jabber:client'}); the
 * body declares {@code xmlns:xmpp} when it has XEP-0206 attributes and {@code xmlns:stream} when
 * it carries {@code <stream:features/>} or {@code <stream:error/>} (XEP-0206 §2).
 */
public final class BodyWriter {

  private BodyWriter() {}

  /** The body as UTF-8 bytes. */
  public static byte[] toBytes(Body body) {
    return toXml(body).getBytes(StandardCharsets.UTF_8);
  }

  /** The body as an XML string. */
  public static String toXml(Body body) {
    int payloadChars = 0;
    boolean streamNamespace = false;
    for (Stanza s : body.payloads()) {
      payloadChars += s.xml().length();
      streamNamespace |= s.inStreamNamespace();
    }
    StringBuilder out = new StringBuilder(160 + payloadChars);
    out.append("<body xmlns=\"").append(Namespaces.HTTPBIND).append('"');
    if (streamNamespace) {
      out.append(" xmlns:stream=\"").append(Namespaces.STREAM).append('"');
    }
    Map<String, String> prefixes = new HashMap<>();
    for (Map.Entry<QName, String> a : body.attributes().entrySet()) {
      QName name = a.getKey();
      out.append(' ');
      String ns = name.getNamespaceURI();
      if (!ns.isEmpty()) {
        out.append(prefixFor(ns, prefixes, out)).append(':');
      }
      out.append(name.getLocalPart()).append("=\"");
      XmlEscaper.escapeAttribute(a.getValue(), out);
      out.append('"');
    }
    if (body.payloads().isEmpty()) {
      return out.append("/>").toString();
    }
    out.append('>');
    for (Stanza s : body.payloads()) {
      out.append(s.xml());
    }
    return out.append("</body>").toString();
  }

  /**
   * The prefix for an attribute namespace; declares it first if needed. The declaration lands
   * just before the attribute, which is legal: declarations apply to the whole start tag.
   */
  private static String prefixFor(String ns, Map<String, String> prefixes, StringBuilder out) {
    if (Namespaces.XML.equals(ns)) {
      return "xml";
    }
    String prefix = prefixes.get(ns);
    if (prefix == null) {
      prefix = Namespaces.XBOSH.equals(ns) ? "xmpp" : "ns" + prefixes.size();
      prefixes.put(ns, prefix);
      out.append("xmlns:").append(prefix).append("=\"");
      XmlEscaper.escapeAttribute(ns, out);
      out.append("\" ");
    }
    return prefix;
  }
}
