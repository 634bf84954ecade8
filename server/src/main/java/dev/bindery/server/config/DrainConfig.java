package dev.bindery.server.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable. What happens on SIGTERM: readiness turns false, new sessions are sent elsewhere,
 * existing ones keep working for {@code gracePeriod}, then the rest get {@code system-shutdown}.
 *
 * @param gracePeriod how long existing sessions keep working after the drain starts
 * @param seeOtherUri where new sessions are sent meanwhile ({@code see-other-uri}); null sends
 *                    them {@code system-shutdown} instead
 */
public record DrainConfig(Duration gracePeriod, URI seeOtherUri) {

  public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(30);
  public static final DrainConfig DEFAULTS = new DrainConfig(DEFAULT_GRACE_PERIOD, null);

  public DrainConfig {
    Objects.requireNonNull(gracePeriod, "gracePeriod");
    if (gracePeriod.isNegative()) {
      throw new IllegalArgumentException("invalid grace period: " + gracePeriod
          + " (expected: >= 0)");
    }
  }
}
