package dev.bindery.protocol.testing;

import java.io.IOException;
import java.io.StringReader;
import java.net.URL;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.xml.sax.SAXException;

/**
 * Thread-safe: the compiled schema is immutable, each call validates with its own validator.
 * Checks bodies against the XEP-0124 XML Schema ({@code src/test/resources/xsd/httpbind.xsd}).
 */
public final class BodySchema {

  private static final Schema SCHEMA = load();

  private BodySchema() {}

  /** Fails the test (unchecked) unless {@code xml} is a valid {@code <body/>}. */
  public static void assertValid(String xml) {
    Validator validator = SCHEMA.newValidator();
    try {
      validator.validate(new StreamSource(new StringReader(xml)));
    } catch (SAXException | IOException e) {
      throw new AssertionError("not a valid XEP-0124 body: " + e.getMessage() + "\n" + xml, e);
    }
  }

  /** True when {@code xml} is a valid {@code <body/>}. */
  public static boolean isValid(String xml) {
    try {
      SCHEMA.newValidator().validate(new StreamSource(new StringReader(xml)));
      return true;
    } catch (SAXException | IOException e) {
      return false;
    }
  }

  private static Schema load() {
    URL xsd = BodySchema.class.getResource("/xsd/httpbind.xsd");
    if (xsd == null) {
      throw new IllegalStateException("xsd/httpbind.xsd not on the test classpath");
    }
    try {
      return SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(xsd);
    } catch (SAXException e) {
      throw new IllegalStateException("cannot compile " + xsd, e);
    }
  }
}
