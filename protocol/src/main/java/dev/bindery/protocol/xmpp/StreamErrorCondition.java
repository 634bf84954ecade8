package dev.bindery.protocol.xmpp;

/**
 * Immutable. The defined conditions of an XMPP stream error (RFC 6120 §4.9.3) that a connection
 * manager itself raises; the server's own stream errors are relayed as they came.
 */
public enum StreamErrorCondition {
  /** §4.9.3.1: the XML is well-formed but not valid here, e.g. a second root in one frame. */
  BAD_FORMAT("bad-format"),
  /** §4.9.3.4: the peer has not used the stream for too long. */
  CONNECTION_TIMEOUT("connection-timeout"),
  /** §4.9.3.5: the domain is no longer served. */
  HOST_GONE("host-gone"),
  /** §4.9.3.6: the {@code to} domain is not served. */
  HOST_UNKNOWN("host-unknown"),
  /** §4.9.3.7: a stanza or stream header without the addresses it needs. */
  IMPROPER_ADDRESSING("improper-addressing"),
  /** §4.9.3.8: something went wrong on this side. */
  INTERNAL_SERVER_ERROR("internal-server-error"),
  /** §4.9.3.10: a stream header or stanza in the wrong namespace (RFC 7395 §3.3.2). */
  INVALID_NAMESPACE("invalid-namespace"),
  /** §4.9.3.13: the XML is not well-formed (a partial element, text outside an element). */
  NOT_WELL_FORMED("not-well-formed"),
  /** §4.9.3.14: a local limit or rule was broken, e.g. an element over the size limit. */
  POLICY_VIOLATION("policy-violation"),
  /** §4.9.3.15: the XMPP server could not be reached or its stream broke. */
  REMOTE_CONNECTION_FAILED("remote-connection-failed"),
  /** §4.9.3.17: the limit of sessions or of new sessions was reached. */
  RESOURCE_CONSTRAINT("resource-constraint"),
  /** §4.9.3.18: comments, processing instructions, a DTD or entity references. */
  RESTRICTED_XML("restricted-xml"),
  /** §4.9.3.19: the stream continues at another address. */
  SEE_OTHER_HOST("see-other-host"),
  /** §4.9.3.20: the connection manager is shutting down. */
  SYSTEM_SHUTDOWN("system-shutdown"),
  /** §4.9.3.22: text that is not UTF-8, e.g. a binary WebSocket message. */
  UNSUPPORTED_ENCODING("unsupported-encoding"),
  /** §4.9.3.24: a top-level element this side does not accept, e.g. {@code <starttls/>}. */
  UNSUPPORTED_STANZA_TYPE("unsupported-stanza-type"),
  /** §4.9.3.25: a stream version other than 1.0. */
  UNSUPPORTED_VERSION("unsupported-version");

  private final String value;

  /** The condition named {@code value}, or {@code fallback} when none is. */
  public static StreamErrorCondition of(String value, StreamErrorCondition fallback) {
    for (StreamErrorCondition c : values()) {
      if (c.value.equals(value)) {
        return c;
      }
    }
    return fallback;
  }

  StreamErrorCondition(String value) {
    this.value = value;
  }

  /** The condition's element name, e.g. {@code invalid-namespace}. */
  public String value() {
    return value;
  }

  /**
   * The {@code <stream:error/>} element, self-contained (it declares the {@code stream} prefix)
   * so that it stands alone in a WebSocket message (RFC 7395 §3.3.3).
   *
   * @param text a human-readable description for the {@code <text/>} child, or null for none
   */
  public Stanza element(String text) {
    StringBuilder xml = new StringBuilder(160)
        .append("<stream:error xmlns:stream='").append(Namespaces.STREAM).append("'><")
        .append(value).append(" xmlns='").append(Namespaces.STREAMS_ERRORS).append("'/>");
    if (text != null && !text.isEmpty()) {
      xml.append("<text xmlns='").append(Namespaces.STREAMS_ERRORS).append("'>");
      XmlEscaper.escapeText(XmlEscaper.replaceUnencodable(text), xml);
      xml.append("</text>");
    }
    return new Stanza(Namespaces.STREAM, "error", xml.append("</stream:error>").toString());
  }
}
