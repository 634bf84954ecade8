package dev.bindery.protocol.xmpp;

/**
 * Thread-safe: stateless. The application-specific element that explains an {@code
 * undefined-condition} (XEP-0124 §17.2), e.g. {@code <error xmlns='https://bindery.dev/ns/error'>
 * malformed XML from server</error>}.
 */
public final class ErrorDetail {

  /** The namespace of Bindery's own error details. */
  public static final String NAMESPACE = "https://bindery.dev/ns/error";

  private ErrorDetail() {}

  /** The element carrying {@code text}. */
  public static Stanza of(String text) {
    StringBuilder xml = new StringBuilder(64 + text.length());
    xml.append("<error xmlns=\"").append(NAMESPACE).append("\">");
    XmlEscaper.escapeText(text, xml);
    xml.append("</error>");
    return new Stanza(NAMESPACE, "error", xml.toString());
  }
}
