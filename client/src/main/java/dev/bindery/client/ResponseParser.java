package dev.bindery.client;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Thread-safe: the StAX factory is configured once and only creates readers afterwards. Parses
 * the HTTP entity of a connection manager's response into a {@link ResponseBody}.
 *
 * <p>DTDs and external entities are refused (XEP-0124 §6 allows neither).
 */
final class ResponseParser {

  private static final XMLInputFactory FACTORY = newFactory();

  private ResponseParser() {}

  /**
   * Parses one response entity.
   *
   * @throws BoshException of kind {@link BoshException.Kind#PROTOCOL} if it is not well-formed
   *     XML or its root is not a XEP-0124 {@code <body/>}
   */
  static ResponseBody parse(String entity) throws BoshException {
    XmlElement root;
    try {
      root = parseElement(entity);
    } catch (XMLStreamException e) {
      throw new BoshException(BoshException.Kind.PROTOCOL, null,
          "malformed response body: " + e.getMessage(), e);
    }
    if (!root.is(Xml.NS_HTTPBIND, "body")) {
      throw new BoshException(BoshException.Kind.PROTOCOL, null,
          "unexpected response root: {" + root.namespace() + "}" + root.name()
              + " (expected: {" + Xml.NS_HTTPBIND + "}body)");
    }
    return new ResponseBody(root);
  }

  /** Parses a complete XML document into its root element. */
  static XmlElement parseElement(String document) throws XMLStreamException {
    XMLStreamReader reader = FACTORY.createXMLStreamReader(new StringReader(document));
    try {
      Deque<Builder> open = new ArrayDeque<>();
      XmlElement root = null;
      while (reader.hasNext()) {
        switch (reader.next()) {
          case XMLStreamConstants.START_ELEMENT -> open.push(Builder.from(reader));
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA,
              XMLStreamConstants.SPACE -> {
            if (!open.isEmpty()) {
              open.peek().text.append(reader.getText());
            }
          }
          case XMLStreamConstants.END_ELEMENT -> {
            XmlElement done = open.pop().build();
            if (open.isEmpty()) {
              root = done;
            } else {
              open.peek().children.add(done);
            }
          }
          case XMLStreamConstants.DTD -> throw new XMLStreamException("DTD not allowed");
          default -> {
            // Comments and processing instructions carry nothing for us.
          }
        }
      }
      if (root == null) {
        throw new XMLStreamException("no root element");
      }
      return root;
    } finally {
      reader.close();
    }
  }

  private static XMLInputFactory newFactory() {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, true);
    return factory;
  }

  /** Confined to one parse. */
  private static final class Builder {
    final String namespace;
    final String name;
    final Map<String, String> attributes = new LinkedHashMap<>();
    final List<XmlElement> children = new ArrayList<>();
    final StringBuilder text = new StringBuilder();

    private Builder(String namespace, String name) {
      this.namespace = namespace;
      this.name = name;
    }

    static Builder from(XMLStreamReader reader) {
      String ns = reader.getNamespaceURI();
      Builder builder = new Builder(ns == null ? "" : ns, reader.getLocalName());
      for (int i = 0; i < reader.getAttributeCount(); i++) {
        String attributeNs = reader.getAttributeNamespace(i);
        String local = reader.getAttributeLocalName(i);
        String key = attributeNs == null || attributeNs.isEmpty()
            ? local : XmlElement.qualified(attributeNs, local);
        builder.attributes.put(key, reader.getAttributeValue(i));
      }
      return builder;
    }

    XmlElement build() {
      return new XmlElement(namespace, name, attributes, children, text.toString());
    }
  }
}
