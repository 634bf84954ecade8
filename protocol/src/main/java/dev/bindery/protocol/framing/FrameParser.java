package dev.bindery.protocol.framing;

import dev.bindery.protocol.body.BodyLimits;
import dev.bindery.protocol.xmpp.HardenedXml;
import dev.bindery.protocol.xmpp.Namespaces;
import dev.bindery.protocol.xmpp.StanzaBuilder;
import dev.bindery.protocol.xmpp.StreamErrorCondition;
import dev.bindery.protocol.xmpp.XmlEscaper;
import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Thread-safe: the configured factory is shared, each call parses with its own reader. Parses one
 * WebSocket text message of a client into a {@link Frame}, by RFC 7395 §3.3: a standalone XML
 * document whose first character is {@code <}, holding exactly one element, with the stream
 * headers in the framing namespace. Whatever breaks a rule is a {@link FramingException} with the
 * stream error RFC 6120 names for it.
 */
public final class FrameParser {

  private final int maxChars;
  private final XMLInputFactory factory;

  /**
   * @param maxChars the largest message, in characters; beyond it {@code policy-violation}
   */
  public FrameParser(int maxChars) {
    if (maxChars < 1) {
      throw new IllegalArgumentException("invalid maxChars: " + maxChars + " (expected: > 0)");
    }
    this.maxChars = maxChars;
    this.factory = HardenedXml.factory(BodyLimits.DEFAULT_MAX_DEPTH,
        BodyLimits.DEFAULT_MAX_ATTRIBUTE_LENGTH, BodyLimits.DEFAULT_MAX_ATTRIBUTES, maxChars);
  }

  /** The largest message accepted, in characters. */
  public int maxChars() {
    return maxChars;
  }

  /** Parses one whole message. */
  public Frame parse(String text) throws FramingException {
    if (text.length() > maxChars) {
      throw new FramingException(StreamErrorCondition.POLICY_VIOLATION, "message of "
          + text.length() + " characters (expected: <= " + maxChars + ")");
    }
    if (text.isEmpty() || text.charAt(0) != '<') {
      // §3.3.3, and §3.8: no whitespace keepalives
      throw new FramingException(StreamErrorCondition.NOT_WELL_FORMED,
          "a message must start with '<'");
    }
    int unencodable = XmlEscaper.firstUnencodable(text);
    if (unencodable >= 0) {
      // a Reader lets U+FFFE and U+FFFF through Woodstox; relayed, they would break the stream
      throw new FramingException(StreamErrorCondition.NOT_WELL_FORMED, String.format(
          "character U+%04X at %d is not allowed in XML", (int) text.charAt(unencodable),
          unencodable));
    }
    XMLStreamReader reader = null;
    try {
      reader = factory.createXMLStreamReader(new StringReader(text));
      return read(reader);
    } catch (XMLStreamException | RuntimeException e) {
      // Woodstox reports some errors lazily as unchecked exceptions; both mean malformed input
      throw new FramingException(StreamErrorCondition.NOT_WELL_FORMED,
          "not a well-formed XML document: " + HardenedXml.firstLine(e.getMessage()), e);
    } finally {
      HardenedXml.closeQuietly(reader);
    }
  }

  private static Frame read(XMLStreamReader reader)
      throws XMLStreamException, FramingException {
    if ("1.1".equals(reader.getVersion())) {
      throw new FramingException(StreamErrorCondition.NOT_WELL_FORMED,
          "XML 1.1 is not allowed (expected: XML 1.0)");
    }
    Frame frame = null;
    StanzaBuilder element = null;
    int depth = 0;
    while (reader.hasNext()) {
      int event = reader.next();
      switch (event) {
        case XMLStreamConstants.START_ELEMENT -> {
          if (depth == 0) {
            if (frame != null) {
              throw new FramingException(StreamErrorCondition.NOT_WELL_FORMED,
                  "more than one element in a message");
            }
            frame = header(reader);
            if (frame == null) {
              element = new StanzaBuilder();
            }
          }
          depth++;
          if (element != null) {
            element.startElement(reader);
          }
        }
        case XMLStreamConstants.END_ELEMENT -> {
          depth--;
          if (element != null && element.endElement(reader)) {
            frame = new Frame.Element(element.build());
            element = null;
          }
        }
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA,
            XMLStreamConstants.SPACE -> {
          if (element != null) {
            element.characters(reader);
          } else if (depth == 0 && !reader.isWhiteSpace()) {
            throw new FramingException(StreamErrorCondition.NOT_WELL_FORMED,
                "text outside the element");
          }
        }
        case XMLStreamConstants.DTD -> throw restricted("a DTD");
        case XMLStreamConstants.COMMENT -> throw restricted("a comment");
        case XMLStreamConstants.PROCESSING_INSTRUCTION -> throw restricted("a processing instruction");
        case XMLStreamConstants.ENTITY_REFERENCE -> throw restricted("an entity reference");
        default -> {
          // START_DOCUMENT, END_DOCUMENT and the like carry nothing
        }
      }
    }
    if (frame == null) {
      throw new FramingException(StreamErrorCondition.NOT_WELL_FORMED, "no element");
    }
    return frame;
  }

  /**
   * The stream header the root element is, or null for a stanza. Headers must be in the framing
   * namespace (§3.3.2): a {@code <stream:stream>} or an {@code <open/>} elsewhere is {@code
   * invalid-namespace}, as is a stanza in no namespace, which would not be {@code jabber:client}
   * on the server's stream.
   */
  private static Frame header(XMLStreamReader reader) throws FramingException {
    String ns = reader.getNamespaceURI() == null ? "" : reader.getNamespaceURI();
    String name = reader.getLocalName();
    if (Namespaces.FRAMING.equals(ns)) {
      return switch (name) {
        case "open" -> new Frame.Open(attribute(reader, "to"), attribute(reader, "from"),
            attribute(reader, "version"), lang(reader));
        case "close" -> new Frame.Close(attribute(reader, "see-other-uri"));
        default -> throw new FramingException(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE,
            "<" + name + "/> is not a framing element (expected: open or close)");
      };
    }
    if (name.equals("open") || name.equals("close") || name.equals("stream")) {
      throw new FramingException(StreamErrorCondition.INVALID_NAMESPACE, "<" + name
          + "/> in namespace '" + ns + "' (expected: <open/> and <close/> in "
          + Namespaces.FRAMING + ")");
    }
    if (ns.isEmpty()) {
      throw new FramingException(StreamErrorCondition.INVALID_NAMESPACE,
          "<" + name + "/> in no namespace (expected: xmlns='" + Namespaces.JABBER_CLIENT + "')");
    }
    if (Namespaces.TLS.equals(ns)) {
      // §3.9: TLS belongs to the WebSocket layer, and no STARTTLS feature is offered
      throw new FramingException(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE,
          "STARTTLS is not available over WebSocket (RFC 7395 §3.9: use wss://)");
    }
    return null;
  }

  private static String attribute(XMLStreamReader reader, String name) {
    return reader.getAttributeValue(XMLConstants.NULL_NS_URI, name);
  }

  private static String lang(XMLStreamReader reader) {
    return reader.getAttributeValue(XMLConstants.XML_NS_URI, "lang");
  }

  private static FramingException restricted(String what) {
    return new FramingException(StreamErrorCondition.RESTRICTED_XML,
        what + " is not allowed (RFC 6120 §11.1)");
  }
}
