package dev.bindery.server.it;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Immutable (static methods only). Reads XMPP elements the way a test that checks Bindery from
 * outside needs them, without Bindery's own parser: {@link #splitStream} cuts what a server
 * wrote on a client-to-server TCP stream into its top-level elements, {@link #payloads} takes the
 * children of a BOSH {@code <body/>}, and {@link #canonical} prints an element so that two
 * serializations of the same element compare equal.
 *
 * <p>The canonical form is XML: attributes sorted, each namespace declared (as the default
 * namespace) only where it differs from the parent's, text escaped the same way. It keeps what
 * a relay must keep (names, namespaces, attributes, text, order of children) and drops what it
 * may change: prefixes, quoting, attribute order, a namespace inherited from the stream header
 * versus declared on the element. Inside {@code <stream:features/>} it leaves out STARTTLS and
 * stream compression, which a BOSH connection manager hides from clients (XEP-0206 §4, §2).
 */
final class XmppElements {

  static final String STREAMS = "http://etherx.jabber.org/streams";
  static final String TLS = "urn:ietf:params:xml:ns:xmpp-tls";
  static final String COMPRESS_FEATURE = "http://jabber.org/features/compress";
  static final String BIND = "urn:ietf:params:xml:ns:xmpp-bind";
  static final String ROSTER = "jabber:iq:roster";

  private XmppElements() {}

  /**
   * The complete top-level elements of an XMPP stream as one side wrote it, in order, each as a
   * namespace-aware DOM element: children of {@code <stream:stream>}, across stream restarts (a
   * new header inside the open stream). Whitespace between them, the XML declaration and an
   * element still incomplete at the end are skipped. The stream's namespace declarations are
   * applied from its latest header.
   */
  static List<Element> splitStream(String stream) {
    List<Element> elements = new ArrayList<>();
    String header = null;
    String headerName = null;
    int depth = 0;
    int start = -1;
    int i = 0;
    int n = stream.length();
    while (true) {
      int lt = stream.indexOf('<', i);
      if (lt < 0) {
        break;
      }
      if (stream.startsWith("<?", lt)) {
        i = after(stream, "?>", lt);
      } else if (stream.startsWith("<!--", lt)) {
        i = after(stream, "-->", lt);
      } else if (stream.startsWith("<![CDATA[", lt)) {
        i = after(stream, "]]>", lt);
      } else if (stream.startsWith("</", lt)) {
        i = after(stream, ">", lt);
        if (i < 0) {
          break;
        }
        depth--;
        if (depth == 1 && start >= 0) {
          elements.add(parse(header, headerName, stream.substring(start, i)));
          start = -1;
        } else if (depth <= 0) {
          depth = 0; // </stream:stream>
        }
      } else {
        int gt = tagEnd(stream, lt);
        if (gt < 0) {
          break;
        }
        i = gt + 1;
        boolean empty = stream.charAt(gt - 1) == '/';
        String name = tagName(stream, lt);
        if (depth == 0 || (depth == 1 && name.equals(headerName))) {
          header = stream.substring(lt, i); // a stream header, first or after a restart
          headerName = name;
          depth = 1;
        } else if (empty) {
          if (depth == 1) {
            elements.add(parse(header, headerName, stream.substring(lt, i)));
          }
        } else {
          if (depth == 1) {
            start = lt;
          }
          depth++;
        }
      }
      if (i < 0 || i >= n) {
        break;
      }
    }
    return elements;
  }

  /** The child elements of a BOSH {@code <body/>}, in order. */
  static List<Element> payloads(String body) {
    Element root = parseDocument(body);
    List<Element> children = new ArrayList<>();
    for (Node c = root.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c instanceof Element e) {
        children.add(e);
      }
    }
    return children;
  }

  /** The attributes of a BOSH {@code <body/>} without namespace declarations, by local name. */
  static Map<String, String> bodyAttributes(String body) {
    Element root = parseDocument(body);
    Map<String, String> attributes = new TreeMap<>();
    NamedNodeMap map = root.getAttributes();
    for (int k = 0; k < map.getLength(); k++) {
      Attr a = (Attr) map.item(k);
      if (!XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(a.getNamespaceURI())) {
        attributes.put(a.getLocalName() == null ? a.getName() : a.getLocalName(), a.getValue());
      }
    }
    return attributes;
  }

  /** See the class comment. */
  static String canonical(Element element) {
    StringBuilder out = new StringBuilder();
    write(element, null, out);
    return out.toString();
  }

  /** The JID in a resource binding result ({@code <iq type='result'><bind><jid/>}), if any. */
  static Optional<String> boundJid(Element element) {
    if (!"iq".equals(element.getLocalName())
        || !"result".equals(element.getAttribute("type"))) {
      return Optional.empty();
    }
    for (Element bind : children(element, BIND, "bind")) {
      for (Element jid : children(bind, BIND, "jid")) {
        return Optional.of(jid.getTextContent().trim());
      }
    }
    return Optional.empty();
  }

  /**
   * The roster items of a roster push or result ({@code <iq><query xmlns='jabber:iq:roster'>}),
   * each as {@code jid subscription [ask]}, or an empty list for any other element.
   */
  static List<String> rosterItems(Element element) {
    List<String> items = new ArrayList<>();
    if (!"iq".equals(element.getLocalName())) {
      return items;
    }
    for (Element query : children(element, ROSTER, "query")) {
      for (Element item : children(query, ROSTER, "item")) {
        String ask = item.getAttribute("ask");
        items.add(item.getAttribute("jid") + " " + item.getAttribute("subscription")
            + (ask.isEmpty() ? "" : " ask=" + ask));
      }
    }
    return items;
  }

  static List<Element> children(Element parent, String namespace, String localName) {
    List<Element> found = new ArrayList<>();
    for (Node c = parent.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c instanceof Element e && namespace.equals(e.getNamespaceURI())
          && localName.equals(e.getLocalName())) {
        found.add(e);
      }
    }
    return found;
  }

  private static void write(Element e, String parentNamespace, StringBuilder out) {
    String ns = e.getNamespaceURI() == null ? "" : e.getNamespaceURI();
    out.append('<').append(e.getLocalName());
    if (!ns.equals(parentNamespace)) {
      out.append(" xmlns=\"").append(escape(ns)).append('"');
    }
    Map<String, String> attributes = new TreeMap<>();
    NamedNodeMap map = e.getAttributes();
    for (int k = 0; k < map.getLength(); k++) {
      Attr a = (Attr) map.item(k);
      String ans = a.getNamespaceURI();
      if (XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(ans)) {
        continue;
      }
      String key = ans == null ? a.getLocalName()
          : XMLConstants.XML_NS_URI.equals(ans) ? "xml:" + a.getLocalName()
          : "{" + ans + "}" + a.getLocalName();
      attributes.put(key, a.getValue());
    }
    attributes.forEach((k, v) -> out.append(' ').append(k).append("=\"").append(escape(v))
        .append('"'));
    boolean features = STREAMS.equals(ns) && "features".equals(e.getLocalName());
    StringBuilder inner = new StringBuilder();
    for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c instanceof Element child) {
        if (features && (TLS.equals(child.getNamespaceURI())
            || COMPRESS_FEATURE.equals(child.getNamespaceURI()))) {
          continue;
        }
        write(child, ns, inner);
      } else if (c.getNodeType() == Node.TEXT_NODE
          || c.getNodeType() == Node.CDATA_SECTION_NODE) {
        inner.append(escape(c.getNodeValue()));
      }
    }
    if (inner.isEmpty()) {
      out.append("/>");
    } else {
      out.append('>').append(inner).append("</").append(e.getLocalName()).append('>');
    }
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  /** Parses {@code element} in the namespace context of the stream header it came after. */
  private static Element parse(String header, String headerName, String element) {
    if (header == null) {
      throw new IllegalArgumentException("an element before the stream header: " + element);
    }
    String open = header.endsWith("/>")
        ? header.substring(0, header.length() - 2) + ">" : header;
    Element root = parseDocument(open + element + "</" + headerName + ">");
    for (Node c = root.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c instanceof Element e) {
        return e;
      }
    }
    throw new IllegalArgumentException("no element in " + element);
  }

  private static Element parseDocument(String xml) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      DocumentBuilder builder = factory.newDocumentBuilder();
      builder.setErrorHandler(null);
      return builder.parse(new InputSource(new StringReader(xml))).getDocumentElement();
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw new IllegalArgumentException("not well-formed: " + e.getMessage() + ": " + xml, e);
    }
  }

  /** The index just past {@code end}, searched from {@code from}, or -1. */
  private static int after(String s, String end, int from) {
    int k = s.indexOf(end, from);
    return k < 0 ? -1 : k + end.length();
  }

  /** The index of the {@code >} that ends the start tag at {@code lt}, skipping quoted values. */
  private static int tagEnd(String s, int lt) {
    char quote = 0;
    for (int k = lt + 1; k < s.length(); k++) {
      char c = s.charAt(k);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        return k;
      }
    }
    return -1;
  }

  private static String tagName(String s, int lt) {
    int k = lt + 1;
    while (k < s.length() && !Character.isWhitespace(s.charAt(k)) && s.charAt(k) != '>'
        && s.charAt(k) != '/') {
      k++;
    }
    return s.substring(lt + 1, k);
  }
}
