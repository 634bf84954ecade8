package dev.bindery.protocol.xmpp;

import java.util.Objects;

/**
 * Immutable. One top-level XML element relayed between client and server: a stanza, a SASL
 * element, {@code <stream:features/>} or {@code <stream:error/>}. Its {@link #xml()} is
 * self-contained: it declares every namespace it uses, so it can be written verbatim into a
 * {@code <body/>} or onto the upstream stream.
 *
 * @param namespace the element's namespace URI ("" for none)
 * @param localName the element's local name
 * @param xml       the serialized element
 */
public record Stanza(String namespace, String localName, String xml) {

  public Stanza {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(localName, "localName");
    Objects.requireNonNull(xml, "xml");
  }

  /** True for {@code <message/>}, {@code <presence/>} and {@code <iq/>} in {@code jabber:client}. */
  public boolean isRoutable() {
    return Namespaces.JABBER_CLIENT.equals(namespace)
        && (localName.equals("message") || localName.equals("presence") || localName.equals("iq"));
  }

  /** True for elements in the stream namespace, which need {@code xmlns:stream} on the body. */
  public boolean inStreamNamespace() {
    return Namespaces.STREAM.equals(namespace);
  }

  /** True for {@code <stream:features/>}. */
  public boolean isStreamFeatures() {
    return inStreamNamespace() && localName.equals("features");
  }

  /** True for {@code <stream:error/>}. */
  public boolean isStreamError() {
    return inStreamNamespace() && localName.equals("error");
  }

  @Override
  public String toString() {
    return "Stanza{" + localName + ", " + xml.length() + " chars}";
  }
}
