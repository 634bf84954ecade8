package dev.bindery.server.ops;

import java.io.IOException;
import java.io.StringReader;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Thread-safe: a parser per thread. Reads what a test needs out of one element's XML (a payload
 * it received): parsed, so attribute quoting and namespace prefixes do not matter.
 */
final class Xml {

  private static final ThreadLocal<DocumentBuilder> BUILDER = ThreadLocal.withInitial(() -> {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    try {
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return f.newDocumentBuilder();
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException(e);
    }
  });

  private Xml() {}

  static Element parse(String xml) {
    try {
      return BUILDER.get().parse(new InputSource(new StringReader(xml))).getDocumentElement();
    } catch (SAXException | IOException e) {
      throw new IllegalArgumentException("not an element: " + xml, e);
    }
  }

  /** The element's attribute, or "" when it has none of that name. */
  static String attribute(String xml, String name) {
    return parse(xml).getAttribute(name);
  }

  /** The text of the element's first child element named {@code localName}, or null. */
  static String childText(String xml, String localName) {
    for (Node n = parse(xml).getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && localName.equals(e.getLocalName())) {
        return e.getTextContent();
      }
    }
    return null;
  }

  /** True when the element has a descendant named {@code localName}. */
  static boolean contains(String xml, String localName) {
    return parse(xml).getElementsByTagNameNS("*", localName).getLength() > 0;
  }
}
