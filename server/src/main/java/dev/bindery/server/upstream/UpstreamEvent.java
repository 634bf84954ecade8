package dev.bindery.server.upstream;

import dev.bindery.protocol.xmpp.Stanza;

/** Immutable. What {@link XmppStreamDecoder} finds in the server's stream, passed down the pipeline. */
sealed interface UpstreamEvent {

  /** The server's {@code <stream:stream>} header. */
  record StreamOpened(String id, String from, String version) implements UpstreamEvent {}

  /** One complete top-level element. */
  record Element(Stanza stanza) implements UpstreamEvent {}

  /**
   * The features being read offer STARTTLS, which the decoder keeps from the client; comes
   * before the {@link Element} that holds the rest of the features.
   */
  record StartTlsOffered(boolean required) implements UpstreamEvent {}

  /** The server's {@code </stream:stream>}. */
  record StreamClosed() implements UpstreamEvent {}
}
