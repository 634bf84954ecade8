package dev.bindery.protocol.xmpp;

import com.ctc.wstx.api.WstxInputProperties;
import com.ctc.wstx.stax.WstxInputFactory;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Stateless. The one way this module sets up Woodstox for XML from clients and servers:
 * namespace-aware, no DTD, no external entities, only the five predefined entities, and bounded
 * depth, attribute size and count, and total characters. A factory is thread-safe once set up.
 */
public final class HardenedXml {

  private HardenedXml() {}

  /**
   * A factory whose readers refuse input beyond these bounds with an {@code XMLStreamException}.
   *
   * @param maxDepth           deepest element nesting
   * @param maxAttributeLength longest attribute value, in characters
   * @param maxAttributes      most attributes on one element
   * @param maxCharacters      most characters in one document
   */
  public static XMLInputFactory factory(int maxDepth, int maxAttributeLength, int maxAttributes,
      long maxCharacters) {
    WstxInputFactory f = new WstxInputFactory();
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, true);
    f.setProperty(XMLInputFactory.IS_COALESCING, false);
    f.setProperty(WstxInputProperties.P_MAX_ELEMENT_DEPTH, maxDepth);
    f.setProperty(WstxInputProperties.P_MAX_ATTRIBUTE_SIZE, maxAttributeLength);
    f.setProperty(WstxInputProperties.P_MAX_ATTRIBUTES_PER_ELEMENT, maxAttributes);
    f.setProperty(WstxInputProperties.P_MAX_CHARACTERS, maxCharacters);
    // 1 is the least Woodstox accepts (0 throws); without a DTD no entity can be declared anyway
    f.setProperty(WstxInputProperties.P_MAX_ENTITY_COUNT, 1L);
    return f;
  }

  /** The first line of a parser's message (Woodstox adds the location on more), never null. */
  public static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** Closes a reader of in-memory input, which holds nothing open that could fail to close. */
  public static void closeQuietly(XMLStreamReader reader) {
    if (reader == null) {
      return;
    }
    try {
      reader.close();
    } catch (XMLStreamException e) {
      // nothing was held open: the input is in memory
    }
  }
}
