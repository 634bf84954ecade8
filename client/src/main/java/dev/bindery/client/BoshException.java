package dev.bindery.client;

/**
 * Immutable. Why a BOSH session failed or could not be established.
 *
 * <p>{@link #condition()} names the condition in the vocabulary of {@link #kind()}: a XEP-0124 §17
 * terminal binding condition ({@code item-not-found}), a SASL failure ({@code not-authorized}),
 * an XMPP stanza error condition, or the legacy HTTP status code as text ({@code 404}).
 */
public final class BoshException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Where the failure came from. */
  public enum Kind {
    /** The connection manager answered {@code type='terminate'} (XEP-0124 §17.2). */
    TERMINATED,
    /** The connection manager answered with an HTTP status other than 200 (XEP-0124 §17.1). */
    HTTP_STATUS,
    /** The HTTP exchange itself failed: refused, reset, timed out. */
    TRANSPORT,
    /** The XMPP server refused the credentials (RFC 6120 §6.5). */
    AUTHENTICATION,
    /** The peer said something this client cannot work with, e.g. a malformed body. */
    PROTOCOL
  }

  private final Kind kind;
  private final String condition;

  /** A failure of {@code kind} with {@code condition} (null if none). */
  public BoshException(Kind kind, String condition, String message) {
    super(message);
    this.kind = kind;
    this.condition = condition;
  }

  /** As above, caused by {@code cause}. */
  public BoshException(Kind kind, String condition, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.condition = condition;
  }

  /** Where the failure came from. */
  public Kind kind() {
    return kind;
  }

  /** The condition name, or null when there is none (e.g. a refused TCP connection). */
  public String condition() {
    return condition;
  }
}
