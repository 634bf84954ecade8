package dev.bindery.client;

import java.util.Objects;

/**
 * Immutable. A received {@code <message/>} with a body (RFC 6121 §5).
 *
 * @param from the sender's JID, as the server stamped it
 * @param to   the recipient's JID, or null
 * @param type the message type ({@code chat}, {@code normal}, {@code error}, ...)
 * @param body the text of {@code <body/>}
 */
public record ChatMessage(String from, String to, String type, String body) {

  /** Requires a type and a body. */
  public ChatMessage {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(body, "body");
  }

  /** The message from a stanza, or null if it has no body (e.g. a chat state notification). */
  static ChatMessage from(XmlElement message) {
    XmlElement body = message.child(message.namespace(), "body");
    if (body == null) {
      return null;
    }
    String type = message.attribute("type");
    return new ChatMessage(message.attribute("from"), message.attribute("to"),
        type == null ? "normal" : type, body.text());
  }
}
