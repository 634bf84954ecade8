package dev.bindery.protocol.framing;

import dev.bindery.protocol.xmpp.StreamErrorCondition;

/**
 * A client's WebSocket message that breaks RFC 7395 or RFC 6120, with the stream error it gets;
 * the stream is over after it (RFC 6120 §4.9.1.1).
 */
public final class FramingException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient StreamErrorCondition condition;

  public FramingException(StreamErrorCondition condition, String message) {
    super(message);
    this.condition = condition;
  }

  public FramingException(StreamErrorCondition condition, String message, Throwable cause) {
    super(message, cause);
    this.condition = condition;
  }

  /** The stream error the client gets before the stream closes. */
  public StreamErrorCondition condition() {
    return condition;
  }
}
