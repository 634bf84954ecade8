package dev.bindery.protocol.body;

import java.util.Optional;

/**
 * Immutable. The terminal binding conditions of XEP-0124 §17.2, each with the legacy HTTP status
 * code that replaces it for clients that sent no {@code ver} (§17.1, 0 where none is defined).
 */
public enum BindingCondition {
  /** The format of an HTTP header or binding element received from the client is unacceptable. */
  BAD_REQUEST("bad-request", 400),
  /** The target domain specified in the 'to' attribute or the target host or port is no longer serviced. */
  HOST_GONE("host-gone", 0),
  /** The target domain specified in the 'to' attribute or the target host or port is unknown. */
  HOST_UNKNOWN("host-unknown", 0),
  /** The initialization element lacks a 'to' or 'route' attribute, or the value is not allowed. */
  IMPROPER_ADDRESSING("improper-addressing", 0),
  /** The connection manager has experienced an internal error that prevents it from servicing the request. */
  INTERNAL_SERVER_ERROR("internal-server-error", 0),
  /** The sid is not valid, the stream is not valid, the rid is larger than the window, or the response is no longer buffered. */
  ITEM_NOT_FOUND("item-not-found", 404),
  /** Another request being processed at the same time has caused the session to terminate. */
  OTHER_REQUEST("other-request", 0),
  /** The client has broken the session rules (polling too frequently, too many requests, too large a payload...). */
  POLICY_VIOLATION("policy-violation", 403),
  /** The connection manager was unable to connect to, or has lost its connection to, the server. */
  REMOTE_CONNECTION_FAILED("remote-connection-failed", 0),
  /** Encapsulates an error in the protocol being transported. */
  REMOTE_STREAM_ERROR("remote-stream-error", 0),
  /** The connection manager does not operate at this URI; a {@code <uri/>} child says where to go. */
  SEE_OTHER_URI("see-other-uri", 0),
  /** The connection manager is being shut down; all sessions are terminated and no new ones accepted. */
  SYSTEM_SHUTDOWN("system-shutdown", 0),
  /** The error is not one of those defined herein. */
  UNDEFINED_CONDITION("undefined-condition", 0);

  private final String value;
  private final int legacyHttpStatus;

  BindingCondition(String value, int legacyHttpStatus) {
    this.value = value;
    this.legacyHttpStatus = legacyHttpStatus;
  }

  /** The attribute value, e.g. {@code item-not-found}. */
  public String value() {
    return value;
  }

  /**
   * The deprecated HTTP status a legacy client gets instead of this condition (§17.1), or 0 when
   * the condition has no legacy code and is sent as a body even to legacy clients.
   */
  public int legacyHttpStatus() {
    return legacyHttpStatus;
  }

  /** The condition with this attribute value. */
  public static Optional<BindingCondition> fromValue(String value) {
    for (BindingCondition c : values()) {
      if (c.value.equals(value)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return value;
  }
}
