package dev.bindery.protocol.body;

import dev.bindery.protocol.xmpp.HardenedXml;
import dev.bindery.protocol.xmpp.Namespaces;
import dev.bindery.protocol.xmpp.Stanza;
import dev.bindery.protocol.xmpp.StanzaBuilder;
import dev.bindery.protocol.xmpp.XmlEscaper;
import java.io.ByteArrayInputStream;
import java.util.Map;
import javax.xml.namespace.QName;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Thread-safe: the configured factory is shared, each call parses with its own reader. Parses a
 * client's request into a {@link Body}, hardened against hostile input: no DTD, no entities but
 * the five predefined ones, no comments or processing instructions (XEP-0124 §6), and bounded
 * size, depth and attribute length ({@link BodyLimits}). Anything else is a {@link
 * BodyParseException} carrying the condition the client gets.
 */
public final class BodyParser {

  private final BodyLimits limits;
  private final XMLInputFactory factory;

  public BodyParser(BodyLimits limits) {
    this.limits = limits;
    this.factory = HardenedXml.factory(limits.maxDepth(), limits.maxAttributeLength(),
        limits.maxAttributes(), limits.maxBytes());
  }

  public BodyParser() {
    this(BodyLimits.DEFAULTS);
  }

  public BodyLimits limits() {
    return limits;
  }

  /** Parses a whole request body. */
  public Body parse(byte[] bytes) throws BodyParseException {
    return parse(bytes, 0, bytes.length);
  }

  /** Parses {@code length} bytes of a request body starting at {@code offset}. */
  public Body parse(byte[] bytes, int offset, int length) throws BodyParseException {
    if (length > limits.maxBytes()) {
      throw new BodyParseException(BindingCondition.POLICY_VIOLATION,
          "body too large: " + length + " bytes (expected: <= " + limits.maxBytes() + ")");
    }
    if (length == 0) {
      throw new BodyParseException(BindingCondition.BAD_REQUEST, "empty request");
    }
    XMLStreamReader reader = null;
    try {
      reader = factory.createXMLStreamReader(new ByteArrayInputStream(bytes, offset, length));
      return requireXmlChars(read(reader));
    } catch (XMLStreamException | RuntimeException e) {
      // Woodstox reports some errors lazily as unchecked exceptions; both mean malformed input.
      throw new BodyParseException(BindingCondition.BAD_REQUEST,
          "malformed body: " + HardenedXml.firstLine(e.getMessage()), e);
    } finally {
      HardenedXml.closeQuietly(reader);
    }
  }

  private Body read(XMLStreamReader reader) throws XMLStreamException, BodyParseException {
    if ("1.1".equals(reader.getVersion())) {
      throw badRequest("XML 1.1 is not allowed (expected: XML 1.0)");
    }
    Body.Builder body = Body.builder();
    StanzaBuilder stanza = new StanzaBuilder();
    int depth = 0;
    int payloads = 0;
    while (reader.hasNext()) {
      int event = reader.next();
      switch (event) {
        case XMLStreamConstants.START_ELEMENT -> {
          depth++;
          if (depth == 1) {
            readBodyElement(reader, body);
          } else {
            if (depth == 2 && ++payloads > limits.maxPayloads()) {
              throw new BodyParseException(BindingCondition.POLICY_VIOLATION,
                  "too many payloads (expected: <= " + limits.maxPayloads() + ")");
            }
            stanza.startElement(reader);
          }
        }
        case XMLStreamConstants.END_ELEMENT -> {
          depth--;
          if (depth >= 1 && stanza.endElement(reader)) {
            body.payload(stanza.build());
            stanza.reset();
          }
        }
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA,
            XMLStreamConstants.SPACE -> {
          if (depth >= 2) {
            stanza.characters(reader);
          } else if (!reader.isWhiteSpace()) {
            // §6: the body MUST NOT contain character data (whitespace: Leniency)
            throw badRequest("character data outside payload elements");
          }
        }
        case XMLStreamConstants.DTD -> throw badRequest("DTD not allowed");
        case XMLStreamConstants.COMMENT -> throw badRequest("comment not allowed");
        case XMLStreamConstants.PROCESSING_INSTRUCTION ->
            throw badRequest("processing instruction not allowed");
        case XMLStreamConstants.ENTITY_REFERENCE -> throw badRequest("entity reference not allowed");
        case XMLStreamConstants.END_DOCUMENT -> {
          return body.build();
        }
        default -> {
          // START_DOCUMENT and the like carry nothing
        }
      }
    }
    return body.build();
  }

  private static void readBodyElement(XMLStreamReader reader, Body.Builder body)
      throws BodyParseException {
    if (!"body".equals(reader.getLocalName())
        || !Namespaces.HTTPBIND.equals(reader.getNamespaceURI())) {
      throw badRequest("root element is {" + reader.getNamespaceURI() + "}"
          + reader.getLocalName() + " (expected: {" + Namespaces.HTTPBIND + "}body)");
    }
    for (int i = 0, n = reader.getAttributeCount(); i < n; i++) {
      String ns = reader.getAttributeNamespace(i);
      QName name = ns == null || ns.isEmpty()
          ? new QName(reader.getAttributeLocalName(i))
          : new QName(ns, reader.getAttributeLocalName(i), reader.getAttributePrefix(i));
      body.attribute(name, reader.getAttributeValue(i));
    }
  }

  /**
   * The body, unless it holds a character XML cannot carry: Woodstox refuses U+FFFE and U+FFFF in
   * UTF-8 but not in a UTF-16 document, and written out again they would not parse.
   */
  private static Body requireXmlChars(Body body) throws BodyParseException {
    for (Map.Entry<QName, String> a : body.attributes().entrySet()) {
      if (XmlEscaper.firstUnencodable(a.getValue()) >= 0
          || XmlEscaper.firstUnencodable(a.getKey().getNamespaceURI()) >= 0) {
        throw badRequest("attribute " + a.getKey() + " holds a character XML does not allow");
      }
    }
    for (Stanza s : body.payloads()) {
      if (XmlEscaper.firstUnencodable(s.xml()) >= 0) {
        throw badRequest("payload <" + s.localName() + "/> holds a character XML does not allow");
      }
    }
    return body;
  }

  private static BodyParseException badRequest(String message) {
    return new BodyParseException(BindingCondition.BAD_REQUEST, message);
  }
}
