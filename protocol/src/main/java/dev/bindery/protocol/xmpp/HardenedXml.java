package dev.bindery.protocol.xmpp;

import com.ctc.wstx.api.WstxInputProperties;
import com.ctc.wstx.stax.WstxInputFactory;
import javax.xml.stream.XMLInputFactory;

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
}
