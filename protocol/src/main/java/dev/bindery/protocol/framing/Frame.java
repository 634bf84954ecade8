package dev.bindery.protocol.framing;

import dev.bindery.protocol.xmpp.Stanza;
import java.util.Objects;

/**
 * Immutable. One WebSocket message of the XMPP subprotocol, as a client sends it (RFC 7395
 * §3.3): a stream header, a stream footer, or one top-level element of the stream.
 */
public sealed interface Frame permits Frame.Open, Frame.Close, Frame.Element {

  /**
   * {@code <open/>}: opens a stream, at the start and after every stream restart (§3.4, §3.7).
   * Attributes as those of {@code <stream:stream>} (RFC 6120 §4.7), each null when absent.
   */
  record Open(String to, String from, String version, String lang) implements Frame {}

  /**
   * {@code <close/>}: closes the stream (§3.6).
   *
   * @param seeOtherUri the endpoint a client is told to move to (§3.6.1); null when absent
   */
  record Close(String seeOtherUri) implements Frame {}

  /** A stanza, a SASL element or another top-level stream element, self-contained. */
  record Element(Stanza stanza) implements Frame {
    public Element {
      Objects.requireNonNull(stanza, "stanza");
    }
  }
}
