package dev.bindery.server.config;

/**
 * Immutable. Who may open a session: beyond either limit a creation request is refused with
 * {@code policy-violation}.
 *
 * @param maxSessions              most live sessions on this node
 * @param newSessionsPerIpPerSecond most session creations per client IP address per second; 0
 *                                  for no limit
 */
public record AdmissionLimits(int maxSessions, int newSessionsPerIpPerSecond) {

  public static final int DEFAULT_MAX_SESSIONS = 10_000;
  public static final int DEFAULT_NEW_SESSIONS_PER_IP_PER_SECOND = 20;
  public static final AdmissionLimits DEFAULTS = new AdmissionLimits(DEFAULT_MAX_SESSIONS,
      DEFAULT_NEW_SESSIONS_PER_IP_PER_SECOND);

  public AdmissionLimits {
    if (maxSessions < 1) {
      throw new IllegalArgumentException(
          "invalid maxSessions: " + maxSessions + " (expected: >= 1)");
    }
    if (newSessionsPerIpPerSecond < 0) {
      throw new IllegalArgumentException("invalid newSessionsPerIpPerSecond: "
          + newSessionsPerIpPerSecond + " (expected: >= 0)");
    }
  }
}
