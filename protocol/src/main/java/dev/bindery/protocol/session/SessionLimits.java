package dev.bindery.protocol.session;

/**
 * Immutable. The bounds a connection manager offers each session; a client asking for more gets
 * these (XEP-0124 §7.2).
 *
 * @param maxWait           longest {@code wait}, in seconds
 * @param maxHold           largest {@code hold}
 * @param inactivity        the {@code inactivity} advertised to sessions, in seconds
 * @param polling           the shortest allowed polling interval advertised, in seconds
 * @param maxRepeatedRids   how often one rid may be resent before {@code policy-violation}
 */
public record SessionLimits(
    int maxWait, int maxHold, int inactivity, int polling, int maxRepeatedRids) {

  public static final int DEFAULT_MAX_WAIT = 60;
  public static final int DEFAULT_MAX_HOLD = 1;
  public static final int DEFAULT_INACTIVITY = 60;
  public static final int DEFAULT_POLLING = 2;
  public static final int DEFAULT_MAX_REPEATED_RIDS = 5;

  public static final SessionLimits DEFAULTS = new SessionLimits(DEFAULT_MAX_WAIT,
      DEFAULT_MAX_HOLD, DEFAULT_INACTIVITY, DEFAULT_POLLING, DEFAULT_MAX_REPEATED_RIDS);

  public SessionLimits {
    // the XEP-0124 schema types wait as unsignedShort, hold and requests (hold + 1) as unsignedByte
    if (maxWait < 1 || maxWait > 65_535) {
      throw new IllegalArgumentException(
          "invalid maxWait: " + maxWait + " (expected: 1 ~ 65535)");
    }
    if (maxHold < 0 || maxHold > 254) {
      throw new IllegalArgumentException("invalid maxHold: " + maxHold + " (expected: 0 ~ 254)");
    }
    if (inactivity < 1) {
      throw new IllegalArgumentException(
          "invalid inactivity: " + inactivity + " (expected: >= 1)");
    }
    if (polling < 0) {
      throw new IllegalArgumentException("invalid polling: " + polling + " (expected: >= 0)");
    }
    if (maxRepeatedRids < 0) {
      throw new IllegalArgumentException(
          "invalid maxRepeatedRids: " + maxRepeatedRids + " (expected: >= 0)");
    }
  }
}
