package dev.bindery.protocol.session;

/**
 * Immutable. The bounds a connection manager offers each session; a client asking for more gets
 * these (XEP-0124 §7.2).
 *
 * @param maxWait             longest {@code wait}, in seconds
 * @param maxHold             largest {@code hold}
 * @param inactivity          the {@code inactivity} advertised to ordinary sessions, in seconds
 * @param polling             the shortest polling interval allowed, in seconds (§11, §12)
 * @param maxRepeatedRids     how often one rid may be resent before {@code policy-violation}
 * @param pollingInactivity   the {@code inactivity} of polling sessions, in seconds; more than
 *                            {@code inactivity + polling} (§12)
 * @param maxPause            the {@code maxpause} advertised, in seconds; 0 disables pausing (§10)
 * @param reportAfterMillis   how long a response may stay unacknowledged before a request that
 *                            acknowledges less is answered with {@code report} (§9)
 * @param maxUnacknowledged   how many unacknowledged responses are kept for resending (§9, §14.3)
 * @param accept              the content codings the connection manager decompresses, for the
 *                            {@code accept} attribute (e.g. {@code gzip,deflate}); empty for none
 */
public record SessionLimits(
    int maxWait,
    int maxHold,
    int inactivity,
    int polling,
    int maxRepeatedRids,
    int pollingInactivity,
    int maxPause,
    int reportAfterMillis,
    int maxUnacknowledged,
    String accept) {

  public static final int DEFAULT_MAX_WAIT = 60;
  public static final int DEFAULT_MAX_HOLD = 1;
  public static final int DEFAULT_INACTIVITY = 60;
  public static final int DEFAULT_POLLING = 2;
  public static final int DEFAULT_MAX_REPEATED_RIDS = 5;
  public static final int DEFAULT_POLLING_INACTIVITY = 90;
  public static final int DEFAULT_MAX_PAUSE = 120;
  public static final int DEFAULT_REPORT_AFTER_MILLIS = 1_000;
  public static final int DEFAULT_MAX_UNACKNOWLEDGED = 32;
  public static final String DEFAULT_ACCEPT = "";

  public static final SessionLimits DEFAULTS = new SessionLimits(DEFAULT_MAX_WAIT,
      DEFAULT_MAX_HOLD, DEFAULT_INACTIVITY, DEFAULT_POLLING, DEFAULT_MAX_REPEATED_RIDS);

  /** Limits with the defaults for everything but the five most common bounds. */
  public SessionLimits(int maxWait, int maxHold, int inactivity, int polling,
      int maxRepeatedRids) {
    this(maxWait, maxHold, inactivity, polling, maxRepeatedRids,
        Math.max(DEFAULT_POLLING_INACTIVITY, inactivity + 2 * polling + 1), DEFAULT_MAX_PAUSE,
        DEFAULT_REPORT_AFTER_MILLIS, DEFAULT_MAX_UNACKNOWLEDGED, DEFAULT_ACCEPT);
  }

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
    if (pollingInactivity <= inactivity + polling) {
      throw new IllegalArgumentException("invalid pollingInactivity: " + pollingInactivity
          + " (expected: > inactivity + polling = " + (inactivity + polling) + ")");
    }
    if (maxPause < 0) {
      throw new IllegalArgumentException("invalid maxPause: " + maxPause + " (expected: >= 0)");
    }
    if (reportAfterMillis < 0) {
      throw new IllegalArgumentException(
          "invalid reportAfterMillis: " + reportAfterMillis + " (expected: >= 0)");
    }
    if (maxUnacknowledged < 1) {
      throw new IllegalArgumentException(
          "invalid maxUnacknowledged: " + maxUnacknowledged + " (expected: >= 1)");
    }
    if (accept == null) {
      throw new IllegalArgumentException("accept must not be null (expected: \"\" for none)");
    }
  }

  /** These limits with a different {@code accept} list. */
  public SessionLimits withAccept(String accept) {
    return new SessionLimits(maxWait, maxHold, inactivity, polling, maxRepeatedRids,
        pollingInactivity, maxPause, reportAfterMillis, maxUnacknowledged, accept);
  }

  /** These limits with a different {@code maxpause}. */
  public SessionLimits withMaxPause(int maxPause) {
    return new SessionLimits(maxWait, maxHold, inactivity, polling, maxRepeatedRids,
        pollingInactivity, maxPause, reportAfterMillis, maxUnacknowledged, accept);
  }
}
