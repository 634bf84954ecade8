package dev.bindery.client;

import java.util.List;
import java.util.Objects;

/**
 * Immutable. A connection manager's {@code <body/>} as the client reads it: the wrapper's
 * attributes with typed accessors, and its payloads.
 *
 * @param element the parsed {@code <body/>}
 */
record ResponseBody(XmlElement element) {

  ResponseBody {
    Objects.requireNonNull(element, "element");
  }

  /** The payloads: stream features, SASL elements, stanzas, a stream error. */
  List<XmlElement> payloads() {
    return element.children();
  }

  String attribute(String key) {
    return element.attribute(key);
  }

  /** The value of {@code type}: "terminate", "error" or null. */
  String type() {
    return element.attribute("type");
  }

  /** XEP-0124 §17.2: the session is over; {@link #condition()} says why, if it is an error. */
  boolean isTerminate() {
    return "terminate".equals(type());
  }

  /** XEP-0124 §17.3: a recoverable binding condition; the request should be sent again. */
  boolean isRecoverableError() {
    return "error".equals(type());
  }

  /** The terminal binding condition, or null. */
  String condition() {
    return element.attribute("condition");
  }

  String sid() {
    return element.attribute("sid");
  }

  /**
   * A non-negative integer attribute such as {@code requests}, {@code wait} or {@code polling},
   * or {@code absent} if the body does not have it.
   *
   * @throws BoshException if the value is not a non-negative integer
   */
  int intAttribute(String key, int absent) throws BoshException {
    String value = element.attribute(key);
    if (value == null) {
      return absent;
    }
    try {
      int parsed = Integer.parseInt(value.strip());
      if (parsed >= 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // Reported below with the offending value.
    }
    throw new BoshException(BoshException.Kind.PROTOCOL, null,
        "invalid " + key + ": " + value + " (expected: a non-negative integer)");
  }

  /** The first {@code <stream:features/>} payload, or null. */
  XmlElement streamFeatures() {
    return element.child(Xml.NS_STREAM, "features");
  }

  /**
   * Why a {@code type='terminate'} body ended the session: its binding condition (§17.2), with
   * the XMPP stream error of a {@code remote-stream-error} or the URI of a {@code see-other-uri}.
   */
  BoshException terminationCause() {
    String condition = condition();
    StringBuilder message = new StringBuilder("session terminated by the connection manager");
    if (condition != null) {
      message.append(": ").append(condition);
    }
    String detail = "see-other-uri".equals(condition)
        ? element.childText(Xml.NS_HTTPBIND, "uri")
        : describeStreamError(streamError() != null ? streamError() : element);
    if (detail != null && !detail.isEmpty()) {
      message.append(" (").append(detail).append(')');
    }
    return new BoshException(BoshException.Kind.TERMINATED, condition, message.toString());
  }

  /**
   * "conflict: text" from a stream error (RFC 6120 §4.9), or null. Old connection managers put
   * the error's children directly into the body, so {@code error} may be the body itself.
   */
  private static String describeStreamError(XmlElement error) {
    String condition = null;
    String text = null;
    for (XmlElement child : error.children()) {
      if (!child.namespace().equals(Xml.NS_STREAMS_ERRORS)) {
        continue;
      }
      if (child.name().equals("text")) {
        text = child.text().strip();
      } else if (condition == null) {
        condition = child.name();
      }
    }
    if (condition == null) {
      return null;
    }
    return text == null || text.isEmpty() ? condition : condition + ": " + text;
  }

  /** The {@code <stream:error/>} payload that comes with {@code remote-stream-error}, or null. */
  XmlElement streamError() {
    return element.child(Xml.NS_STREAM, "error");
  }
}
