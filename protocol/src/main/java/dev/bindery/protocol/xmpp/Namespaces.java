package dev.bindery.protocol.xmpp;

/** Immutable. The XML namespaces BOSH and XMPP over BOSH use. */
public final class Namespaces {
  /** XEP-0124: the {@code <body/>} wrapper. */
  public static final String HTTPBIND = "http://jabber.org/protocol/httpbind";
  /** XEP-0206: {@code xmpp:version}, {@code xmpp:restart}, {@code xmpp:restartlogic}. */
  public static final String XBOSH = "urn:xmpp:xbosh";
  /** RFC 6120: the stream element, {@code <stream:features/>} and {@code <stream:error/>}. */
  public static final String STREAM = "http://etherx.jabber.org/streams";
  /** RFC 6120: client stanzas. */
  public static final String JABBER_CLIENT = "jabber:client";
  /** RFC 6120: STARTTLS negotiation, hidden from BOSH clients (XEP-0206 §2). */
  public static final String TLS = "urn:ietf:params:xml:ns:xmpp-tls";
  /** RFC 6120: SASL negotiation. */
  public static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
  /** RFC 6120: stream error conditions. */
  public static final String STREAMS_ERRORS = "urn:ietf:params:xml:ns:xmpp-streams";
  /** RFC 6120: stanza error conditions. */
  public static final String STANZAS_ERRORS = "urn:ietf:params:xml:ns:xmpp-stanzas";
  /** RFC 7395 §3.3: the {@code <open/>} and {@code <close/>} of XMPP over WebSocket. */
  public static final String FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";
  /** XEP-0156: the Extensible Resource Descriptor of {@code /.well-known/host-meta}. */
  public static final String XRD = "http://docs.oasis-open.org/ns/xri/xrd-1.0";
  /** The XML namespace, bound to the {@code xml} prefix. */
  public static final String XML = "http://www.w3.org/XML/1998/namespace";

  private Namespaces() {}
}
