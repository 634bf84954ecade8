package dev.bindery.protocol.xmpp;

import com.ctc.wstx.stax.WstxInputFactory;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Thread-safe: stateless. What to send back to the server for a stanza the client will never
 * collect (XEP-0206 §7, after RFC 6121 §11.1): a presence is dropped, an iq request gets {@code
 * service-unavailable}, a message gets {@code recipient-unavailable} with its content, so the
 * server can store it offline. Errors and iq results are dropped: answering them could loop.
 */
public final class Bounce {

  private static final XMLInputFactory FACTORY = newFactory();

  private Bounce() {}

  /** The bounces for {@code undelivered}, in order. */
  public static List<Stanza> of(List<Stanza> undelivered) {
    List<Stanza> bounces = new ArrayList<>();
    for (Stanza s : undelivered) {
      of(s).ifPresent(bounces::add);
    }
    return bounces;
  }

  /** The bounce for one stanza, or empty when it is dropped. */
  public static Optional<Stanza> of(Stanza undelivered) {
    if (!undelivered.isRoutable() || undelivered.localName().equals("presence")) {
      return Optional.empty();
    }
    try {
      return bounce(undelivered);
    } catch (XMLStreamException e) {
      // our own serialization did not parse: nothing sensible to send back
      return Optional.empty();
    }
  }

  private static Optional<Stanza> bounce(Stanza s) throws XMLStreamException {
    XMLStreamReader reader = FACTORY.createXMLStreamReader(new StringReader(s.xml()));
    try {
      reader.nextTag();
      String type = reader.getAttributeValue(null, "type");
      boolean message = s.localName().equals("message");
      if ("error".equals(type) || (!message && !"get".equals(type) && !"set".equals(type))) {
        return Optional.empty();
      }
      StringBuilder out = new StringBuilder(s.xml().length() + 200);
      out.append('<').append(s.localName()).append(" xmlns=\"").append(Namespaces.JABBER_CLIENT)
          .append("\" type=\"error\"");
      // the server stamps our side's address; the original sender becomes the addressee
      appendAttribute(out, "to", reader.getAttributeValue(null, "from"));
      appendAttribute(out, "id", reader.getAttributeValue(null, "id"));
      out.append('>');
      if (message) {
        appendChildren(reader, out); // the content, so the server can store it offline
      }
      out.append(message
          ? "<error type=\"wait\"><recipient-unavailable"
          : "<error type=\"cancel\"><service-unavailable");
      out.append(" xmlns=\"").append(Namespaces.STANZAS_ERRORS).append("\"/></error></")
          .append(s.localName()).append('>');
      return Optional.of(new Stanza(Namespaces.JABBER_CLIENT, s.localName(), out.toString()));
    } finally {
      reader.close();
    }
  }

  private static void appendChildren(XMLStreamReader reader, StringBuilder out)
      throws XMLStreamException {
    StanzaBuilder child = new StanzaBuilder();
    int depth = 1;
    while (depth > 0 && reader.hasNext()) {
      int event = reader.next();
      if (event == XMLStreamConstants.START_ELEMENT) {
        depth++;
        child.startElement(reader);
      } else if (event == XMLStreamConstants.END_ELEMENT) {
        depth--;
        if (depth >= 1 && child.endElement(reader)) {
          // an <error/> of the original would make two; it has none, being no error
          out.append(child.build().xml());
          child.reset();
        }
      } else if (depth >= 2 && (event == XMLStreamConstants.CHARACTERS
          || event == XMLStreamConstants.CDATA)) {
        child.characters(reader);
      }
    }
  }

  private static void appendAttribute(StringBuilder out, String name, String value) {
    if (value != null) {
      out.append(' ').append(name).append("=\"");
      XmlEscaper.escapeAttribute(value, out);
      out.append('"');
    }
  }

  private static XMLInputFactory newFactory() {
    WstxInputFactory f = new WstxInputFactory();
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    return f;
  }
}
