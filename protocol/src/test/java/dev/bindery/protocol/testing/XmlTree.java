package dev.bindery.protocol.testing;

import com.ctc.wstx.stax.WstxInputFactory;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.namespace.QName;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Immutable. XML as a parsed value, for comparing XML in tests without comparing strings: an
 * element's expanded name, its attributes by expanded name (namespace declarations are not
 * attributes), and its children (elements and coalesced text), so prefixes, quote style, attribute
 * order and where namespaces are declared do not matter. Parsed with the JDK's own StAX parser,
 * never Woodstox, so the code under test is not checked by itself.
 *
 * @param name       the element's namespace URI and local name
 * @param attributes the attributes, keyed by namespace URI and local name
 * @param children   {@link XmlTree} elements and {@link String} text, in document order
 */
public record XmlTree(QName name, Map<QName, String> attributes, List<Object> children) {

  private static final XMLInputFactory JDK = XMLInputFactory.newDefaultFactory();

  private static final XMLInputFactory WOODSTOX = new WstxInputFactory();

  static {
    WOODSTOX.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    WOODSTOX.setProperty(XMLInputFactory.IS_COALESCING, true);
    WOODSTOX.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    JDK.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    JDK.setProperty(XMLInputFactory.IS_COALESCING, true);
    JDK.setProperty(XMLInputFactory.SUPPORT_DTD, false);
  }

  /** Parses a whole document; fails the test (unchecked) if it is not namespace-well-formed. */
  public static XmlTree parse(String xml) {
    try {
      return document(JDK.createXMLStreamReader(new StringReader(xml)));
    } catch (XMLStreamException e) {
      throw new AssertionError("not well-formed: " + e.getMessage() + "\n" + xml, e);
    }
  }

  /**
   * Parses {@code xml} encoded as UTF-8 with Woodstox, as an XMPP server reads what Bindery
   * sends: for the fuzz tests, whose inputs reach element names that XML 1.0's fifth edition
   * allows and the JDK's parser (fourth-edition names) refuses. Woodstox's UTF-8 decoder refuses
   * the characters XML cannot carry, which it lets through from a string.
   */
  public static XmlTree parseUtf8(String xml) {
    try {
      return document(WOODSTOX.createXMLStreamReader(
          new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))));
    } catch (XMLStreamException | RuntimeException e) {
      throw new AssertionError("not well-formed: " + e.getMessage() + "\n" + xml, e);
    }
  }

  /** Parses {@code fragment} as the only child of a wrapper that binds other namespaces. */
  public static XmlTree parseIn(String wrapperStartTag, String wrapperEndTag, String fragment) {
    XmlTree wrapper = parse(wrapperStartTag + fragment + wrapperEndTag);
    if (wrapper.children().size() != 1 || !(wrapper.children().get(0) instanceof XmlTree)) {
      throw new AssertionError("expected one element inside the wrapper: " + wrapper);
    }
    return (XmlTree) wrapper.children().get(0);
  }

  /**
   * The namespace declarations of each element, in document order: {@code prefix -> uri}, with
   * "" for the default namespace.
   */
  public static List<Map<String, String>> declarations(String xml) {
    List<Map<String, String>> result = new ArrayList<>();
    try {
      XMLStreamReader r = JDK.createXMLStreamReader(new StringReader(xml));
      while (r.hasNext()) {
        if (r.next() == XMLStreamConstants.START_ELEMENT) {
          Map<String, String> declared = new LinkedHashMap<>();
          for (int i = 0; i < r.getNamespaceCount(); i++) {
            String prefix = r.getNamespacePrefix(i);
            String uri = r.getNamespaceURI(i);
            declared.put(prefix == null ? "" : prefix, uri == null ? "" : uri);
          }
          result.add(declared);
        }
      }
      r.close();
    } catch (XMLStreamException e) {
      throw new AssertionError("not well-formed: " + e.getMessage() + "\n" + xml, e);
    }
    return result;
  }

  /** The root element of the document {@code r} reads to its end; closes {@code r}. */
  private static XmlTree document(XMLStreamReader r) throws XMLStreamException {
    try {
      while (r.next() != XMLStreamConstants.START_ELEMENT) {
        // skip the prolog
      }
      XmlTree root = element(r);
      while (r.hasNext()) {
        r.next();
      }
      return root;
    } finally {
      r.close();
    }
  }

  /** The element children only. */
  public List<XmlTree> elements() {
    List<XmlTree> elements = new ArrayList<>();
    for (Object child : children) {
      if (child instanceof XmlTree e) {
        elements.add(e);
      }
    }
    return elements;
  }

  /** The concatenated text of the direct text children. */
  public String text() {
    StringBuilder out = new StringBuilder();
    for (Object child : children) {
      if (child instanceof String s) {
        out.append(s);
      }
    }
    return out.toString();
  }

  public String attribute(String localName) {
    return attributes.get(new QName(localName));
  }

  private static XmlTree element(XMLStreamReader r) throws XMLStreamException {
    QName name = new QName(nonNull(r.getNamespaceURI()), r.getLocalName());
    Map<QName, String> attributes = new LinkedHashMap<>();
    for (int i = 0; i < r.getAttributeCount(); i++) {
      attributes.put(new QName(nonNull(r.getAttributeNamespace(i)), r.getAttributeLocalName(i)),
          r.getAttributeValue(i));
    }
    List<Object> children = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    while (true) {
      int event = r.next();
      switch (event) {
        case XMLStreamConstants.START_ELEMENT -> {
          flushText(text, children);
          children.add(element(r));
        }
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA,
            XMLStreamConstants.SPACE -> text.append(r.getText());
        case XMLStreamConstants.END_ELEMENT -> {
          flushText(text, children);
          return new XmlTree(name, Map.copyOf(attributes), List.copyOf(children));
        }
        default -> {
          // comments and processing instructions carry no value here
        }
      }
    }
  }

  private static void flushText(StringBuilder text, List<Object> children) {
    if (text.length() > 0) {
      children.add(text.toString());
      text.setLength(0);
    }
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
