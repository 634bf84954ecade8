package dev.bindery.protocol.xmpp;

import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLStreamReader;

/**
 * Confined to one parser. Serializes one element subtree, fed event by event from a namespace-aware
 * {@link XMLStreamReader} (Woodstox over a whole request, or Aalto as bytes arrive), into a
 * self-contained {@link Stanza}: every namespace the subtree uses is declared where it is first
 * needed, so the text means the same wherever it is written.
 *
 * <p>Elements in the BOSH namespace are rewritten to {@code jabber:client}: many clients send
 * stanzas that inherit the {@code <body/>} default namespace (XEP-0206 §2, {@link
 * dev.bindery.protocol.body.Leniency#STANZA_WITHOUT_JABBER_CLIENT}).
 */
public final class StanzaBuilder {

  /** Bindings visible in the output, innermost last; each entry is {prefix, uri}. */
  private final List<String[]> bindings = new ArrayList<>();
  /** Number of bindings declared by each open element. */
  private final List<Integer> declaredPerElement = new ArrayList<>();
  private final StringBuilder out = new StringBuilder(256);
  private String rootNamespace;
  private String rootLocalName;
  private int depth;

  /** The number of open elements: 0 before the root starts and after it ends. */
  public int depth() {
    return depth;
  }

  /** Number of characters written so far. */
  public int length() {
    return out.length();
  }

  /** Writes the start tag the reader is positioned on. */
  public void startElement(XMLStreamReader reader) {
    String prefix = nonNull(reader.getPrefix());
    String uri = mapNamespace(nonNull(reader.getNamespaceURI()));
    if (depth == 0) {
      rootNamespace = uri;
      rootLocalName = reader.getLocalName();
    }
    depth++;
    int before = bindings.size();

    out.append('<');
    if (!prefix.isEmpty()) {
      out.append(prefix).append(':');
    }
    out.append(reader.getLocalName());
    declare(prefix, uri);
    // Keep the element's own declarations: attribute values may refer to their prefixes.
    for (int i = 0, n = reader.getNamespaceCount(); i < n; i++) {
      String p = nonNull(reader.getNamespacePrefix(i));
      if (!p.isEmpty()) {
        declare(p, mapNamespace(nonNull(reader.getNamespaceURI(i))));
      }
    }
    for (int i = 0, n = reader.getAttributeCount(); i < n; i++) {
      // mapped like element namespaces: one prefix must not be bound to both at once
      String attrUri = mapNamespace(nonNull(reader.getAttributeNamespace(i)));
      String attrPrefix = nonNull(reader.getAttributePrefix(i));
      if (!attrUri.isEmpty()) {
        declare(attrPrefix, attrUri);
      }
      out.append(' ');
      if (!attrUri.isEmpty()) {
        out.append(attrPrefix).append(':');
      }
      out.append(reader.getAttributeLocalName(i)).append("=\"");
      XmlEscaper.escapeAttribute(reader.getAttributeValue(i), out);
      out.append('"');
    }
    out.append('>');
    declaredPerElement.add(bindings.size() - before);
  }

  /** Writes the text (characters, CDATA or whitespace) the reader is positioned on. */
  public void characters(XMLStreamReader reader) {
    XmlEscaper.escapeText(reader.getTextCharacters(), reader.getTextStart(),
        reader.getTextLength(), out);
  }

  /** Writes the end tag the reader is positioned on; returns true when the root element closed. */
  public boolean endElement(XMLStreamReader reader) {
    String prefix = nonNull(reader.getPrefix());
    out.append("</");
    if (!prefix.isEmpty()) {
      out.append(prefix).append(':');
    }
    out.append(reader.getLocalName()).append('>');
    int declared = declaredPerElement.remove(declaredPerElement.size() - 1);
    for (int i = 0; i < declared; i++) {
      bindings.remove(bindings.size() - 1);
    }
    depth--;
    return depth == 0;
  }

  /** The finished element. */
  public Stanza build() {
    if (depth != 0 || rootLocalName == null) {
      throw new IllegalStateException("element not complete (depth: " + depth + ")");
    }
    return new Stanza(rootNamespace, rootLocalName, out.toString());
  }

  /** Forgets everything, ready for the next element. */
  public void reset() {
    bindings.clear();
    declaredPerElement.clear();
    out.setLength(0);
    rootNamespace = null;
    rootLocalName = null;
    depth = 0;
  }

  /** Appends an xmlns declaration unless the same binding is already in scope. */
  private void declare(String prefix, String uri) {
    if (XMLConstants.XML_NS_PREFIX.equals(prefix)) {
      return;
    }
    String current = lookup(prefix);
    if (uri.equals(current)) {
      return;
    }
    // An unqualified element with no default declared in the stanza still says xmlns="": the text
    // may be written where a default namespace is in scope (the <body/>, the upstream stream).
    bindings.add(new String[] {prefix, uri});
    out.append(prefix.isEmpty() ? " xmlns=\"" : " xmlns:" + prefix + "=\"");
    XmlEscaper.escapeAttribute(uri, out);
    out.append('"');
  }

  private String lookup(String prefix) {
    for (int i = bindings.size() - 1; i >= 0; i--) {
      String[] b = bindings.get(i);
      if (b[0].equals(prefix)) {
        return b[1];
      }
    }
    return null;
  }

  private static String mapNamespace(String uri) {
    return Namespaces.HTTPBIND.equals(uri) ? Namespaces.JABBER_CLIENT : uri;
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
