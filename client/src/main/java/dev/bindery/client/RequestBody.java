package dev.bindery.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable. A client request's {@code <body/>}: its rid, the wrapper's other attributes and the
 * already-serialized payloads. The static factories build the four kinds of request a XEP-0206
 * client sends.
 *
 * <p>Attribute names are qualified names as written ({@code "xml:lang"}, {@code "xmpp:version"});
 * {@link #toXml()} declares {@code xmlns:xmpp} when one of them uses that prefix.
 *
 * @param rid        the request id, 1 ~ 2<sup>53</sup>-1 (XEP-0124 §14.1)
 * @param attributes the wrapper's attributes other than {@code rid} and {@code xmlns}
 * @param payloads   serialized child elements, "" for an empty body
 */
public record RequestBody(long rid, Map<String, String> attributes, String payloads) {

  /** XEP-0124 §14.1: a rid never exceeds 2^53-1. */
  public static final long MAX_RID = 9_007_199_254_740_991L;
  /** The BOSH version this client speaks (XEP-0124 §7.1 {@code ver}). */
  public static final String BOSH_VERSION = "1.11";
  /** The XMPP stream version (XEP-0206 §4 {@code xmpp:version}). */
  public static final String XMPP_VERSION = "1.0";

  /** Validates the rid and copies the attributes. */
  public RequestBody {
    if (rid < 1 || rid > MAX_RID) {
      throw new IllegalArgumentException(
          "invalid rid: " + rid + " (expected: 1 ~ " + MAX_RID + ")");
    }
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    Objects.requireNonNull(payloads, "payloads");
  }

  /**
   * XEP-0124 §7.1 with XEP-0206 §4: the session creation request. It has no {@code sid}.
   */
  public static RequestBody sessionCreation(long rid, BoshClientConfig config) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("hold", Integer.toString(config.hold()));
    if (config.route() != null) {
      attributes.put("route", config.route());
    }
    attributes.put("to", config.domain());
    attributes.put("ver", BOSH_VERSION);
    attributes.put("wait", Integer.toString(config.waitSeconds()));
    attributes.put("xml:lang", config.lang());
    attributes.put("xmpp:version", XMPP_VERSION);
    return new RequestBody(rid, attributes, "");
  }

  /** XEP-0124 §8: a request in the session, carrying zero or more payloads. */
  public static RequestBody payloads(long rid, String sid, String payloads) {
    return new RequestBody(rid, Map.of("sid", sid), payloads);
  }

  /** XEP-0206 §5: the stream restart request after SASL success. It is always empty. */
  public static RequestBody restart(long rid, String sid, BoshClientConfig config) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("sid", sid);
    attributes.put("to", config.domain());
    attributes.put("xml:lang", config.lang());
    attributes.put("xmpp:restart", "true");
    return new RequestBody(rid, attributes, "");
  }

  /** XEP-0124 §13: the terminate request, with payloads for a graceful logoff. */
  public static RequestBody terminate(long rid, String sid, String payloads) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("sid", sid);
    attributes.put("type", "terminate");
    return new RequestBody(rid, attributes, payloads);
  }

  /** An empty request with no special meaning: the one a connection manager holds (§8). */
  public boolean isPoll() {
    return payloads.isEmpty() && attributes.size() == 1 && attributes.containsKey("sid");
  }

  /** A {@code type='terminate'} request (XEP-0124 §13). */
  public boolean isTerminate() {
    return "terminate".equals(attributes.get("type"));
  }

  /** The HTTP entity. */
  public String toXml() {
    StringBuilder xml = new StringBuilder(128 + payloads.length());
    xml.append("<body rid='").append(rid).append('\'');
    boolean xmppPrefix = false;
    for (Map.Entry<String, String> attribute : attributes.entrySet()) {
      xmppPrefix |= attribute.getKey().startsWith("xmpp:");
      xml.append(' ').append(attribute.getKey()).append("='")
          .append(Xml.escapeAttribute(attribute.getValue())).append('\'');
    }
    xml.append(" xmlns='").append(Xml.NS_HTTPBIND).append('\'');
    if (xmppPrefix) {
      xml.append(" xmlns:xmpp='").append(Xml.NS_XBOSH).append('\'');
    }
    if (payloads.isEmpty()) {
      return xml.append("/>").toString();
    }
    return xml.append('>').append(payloads).append("</body>").toString();
  }
}
