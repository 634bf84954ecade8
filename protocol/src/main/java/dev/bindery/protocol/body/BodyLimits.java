package dev.bindery.protocol.body;

/**
 * Immutable. How much a client may put in one request {@code <body/>}; beyond these limits the
 * request is refused before it reaches the session.
 *
 * @param maxBytes           largest request body, in bytes
 * @param maxDepth           deepest element nesting, counting {@code <body/>} as 1
 * @param maxAttributeLength longest attribute value, in characters
 * @param maxAttributes      most attributes on one element
 * @param maxPayloads        most payload elements in one body
 */
public record BodyLimits(
    int maxBytes, int maxDepth, int maxAttributeLength, int maxAttributes, int maxPayloads) {

  /**
   * One mebibyte: the default bound on a request body, and the one the server reuses for an
   * element from an XMPP server, a session's buffered bytes and an HTTP/2 stream's window, so that
   * a default-sized body fits each of them.
   */
  public static final int ONE_MIB = 1 << 20;

  public static final int DEFAULT_MAX_BYTES = ONE_MIB;
  public static final int DEFAULT_MAX_DEPTH = 64;
  public static final int DEFAULT_MAX_ATTRIBUTE_LENGTH = 64 * 1024;
  public static final int DEFAULT_MAX_ATTRIBUTES = 64;
  public static final int DEFAULT_MAX_PAYLOADS = 1000;

  public static final BodyLimits DEFAULTS = new BodyLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH,
      DEFAULT_MAX_ATTRIBUTE_LENGTH, DEFAULT_MAX_ATTRIBUTES, DEFAULT_MAX_PAYLOADS);

  public BodyLimits {
    requirePositive("maxBytes", maxBytes);
    requirePositive("maxDepth", maxDepth);
    requirePositive("maxAttributeLength", maxAttributeLength);
    requirePositive("maxAttributes", maxAttributes);
    requirePositive("maxPayloads", maxPayloads);
  }

  private static void requirePositive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException("invalid " + name + ": " + value + " (expected: > 0)");
    }
  }
}
