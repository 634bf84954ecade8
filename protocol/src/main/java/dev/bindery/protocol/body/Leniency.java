package dev.bindery.protocol.body;

/**
 * Immutable. Each client deviation from XEP-0124/XEP-0206 that Bindery tolerates, with the spec
 * section that describes it. Tolerance is deliberate and listed here, never ad hoc.
 */
public enum Leniency {
  /**
   * Stanzas that inherit the {@code <body/>} namespace instead of declaring {@code jabber:client}
   * are relayed as {@code jabber:client} stanzas (XEP-0206 §2, "many implementations omit").
   */
  STANZA_WITHOUT_JABBER_CLIENT("https://xmpp.org/extensions/xep-0206.html#wrapper"),
  /**
   * The request Content-Type is ignored: clients send {@code text/xml}, {@code text/plain} or
   * {@code application/x-www-form-urlencoded} for the same XML (XEP-0124 §5).
   */
  ANY_REQUEST_CONTENT_TYPE("https://xmpp.org/extensions/xep-0124.html#overview"),
  /**
   * Whitespace between payload elements is ignored although the body "MUST NOT contain character
   * data": pretty-printing clients send it, and it carries no meaning (XEP-0124 §6).
   */
  WHITESPACE_BETWEEN_PAYLOADS("https://xmpp.org/extensions/xep-0124.html#wrapper"),
  /**
   * {@code requests} unanswered requests whose last is empty, sent faster than {@code polling},
   * are a {@code policy-violation} only when all of them are empty: a payload followed at once by
   * an empty request to wait on is how Smack's jbosh keeps a request held (XEP-0124 §11).
   */
  PAYLOAD_THEN_WAIT_REQUEST("https://xmpp.org/extensions/xep-0124.html#overactive");

  private final String reference;

  Leniency(String reference) {
    this.reference = reference;
  }

  /** The spec section this deviation departs from. */
  public String reference() {
    return reference;
  }
}
