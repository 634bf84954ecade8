package dev.bindery.protocol.body;

/**
 * A request body that cannot be accepted; carries the binding condition the client gets for it
 * ({@link BindingCondition#BAD_REQUEST} for malformed XML, {@link BindingCondition#POLICY_VIOLATION}
 * for input over a limit).
 */
public final class BodyParseException extends Exception {

  private final BindingCondition condition;

  public BodyParseException(BindingCondition condition, String message) {
    super(message);
    this.condition = condition;
  }

  public BodyParseException(BindingCondition condition, String message, Throwable cause) {
    super(message, cause);
    this.condition = condition;
  }

  /** The binding condition to answer with. */
  public BindingCondition condition() {
    return condition;
  }
}
