package dev.bindery.protocol.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SessionLimitsTest {

  @Test
  void defaultsAreTheDefaultConstants() {
    assertThat(SessionLimits.DEFAULTS).isEqualTo(new SessionLimits(SessionLimits.DEFAULT_MAX_WAIT,
        SessionLimits.DEFAULT_MAX_HOLD, SessionLimits.DEFAULT_INACTIVITY,
        SessionLimits.DEFAULT_POLLING, SessionLimits.DEFAULT_MAX_REPEATED_RIDS));
  }

  @Test
  void rejectsOutOfRangeValues() {
    assertThatThrownBy(() -> new SessionLimits(0, 1, 1, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid maxWait: 0 (expected: 1 ~ 65535)");
    // the schema types wait as unsignedShort and requests (hold + 1) as unsignedByte
    assertThatThrownBy(() -> new SessionLimits(65_536, 1, 1, 0, 0))
        .hasMessageContaining("maxWait");
    assertThatThrownBy(() -> new SessionLimits(1, -1, 1, 0, 0)).hasMessageContaining("maxHold");
    assertThatThrownBy(() -> new SessionLimits(1, 255, 1, 0, 0))
        .hasMessage("invalid maxHold: 255 (expected: 0 ~ 254)");
    assertThatThrownBy(() -> new SessionLimits(1, 0, 0, 0, 0)).hasMessageContaining("inactivity");
    assertThatThrownBy(() -> new SessionLimits(1, 0, 1, -1, 0)).hasMessageContaining("polling");
    assertThatThrownBy(() -> new SessionLimits(1, 0, 1, 0, -1))
        .hasMessageContaining("maxRepeatedRids");
  }

  @Test
  void acceptsTheSmallestValues() {
    assertThat(new SessionLimits(1, 0, 1, 0, 0).maxHold()).isZero();
  }

  @Test
  void shortConstructorDefaultsTheRest() {
    SessionLimits limits = SessionLimits.DEFAULTS;

    assertThat(limits.pollingInactivity()).isEqualTo(SessionLimits.DEFAULT_POLLING_INACTIVITY);
    assertThat(limits.maxPause()).isEqualTo(SessionLimits.DEFAULT_MAX_PAUSE);
    assertThat(limits.reportAfterMillis()).isEqualTo(SessionLimits.DEFAULT_REPORT_AFTER_MILLIS);
    assertThat(limits.maxUnacknowledged()).isEqualTo(SessionLimits.DEFAULT_MAX_UNACKNOWLEDGED);
    assertThat(limits.accept()).isEmpty();
  }

  /* §12: the polling inactivity is higher than normal by more than 'polling'. */
  @Test
  void pollingInactivityFollowsALongInactivity() {
    assertThat(new SessionLimits(60, 1, 100, 5, 5).pollingInactivity()).isGreaterThan(100 + 5);
  }

  @Test
  void rejectsOutOfRangeNewValues() {
    assertThatThrownBy(() -> new SessionLimits(60, 1, 60, 2, 5, 62, 120, 1000, 32, ""))
        .hasMessage("invalid pollingInactivity: 62 (expected: > inactivity + polling = 62)");
    assertThatThrownBy(() -> new SessionLimits(60, 1, 60, 2, 5, 90, -1, 1000, 32, ""))
        .hasMessageContaining("maxPause");
    assertThatThrownBy(() -> new SessionLimits(60, 1, 60, 2, 5, 90, 120, -1, 32, ""))
        .hasMessageContaining("reportAfterMillis");
    assertThatThrownBy(() -> new SessionLimits(60, 1, 60, 2, 5, 90, 120, 1000, 0, ""))
        .hasMessageContaining("maxUnacknowledged");
    assertThatThrownBy(() -> new SessionLimits(60, 1, 60, 2, 5, 90, 120, 1000, 32, null))
        .hasMessageContaining("accept");
  }

  @Test
  void withersChangeOneValue() {
    assertThat(SessionLimits.DEFAULTS.withAccept("gzip").accept()).isEqualTo("gzip");
    assertThat(SessionLimits.DEFAULTS.withMaxPause(0).maxPause()).isZero();
    assertThat(SessionLimits.DEFAULTS.withMaxPause(0).withAccept("gzip"))
        .isEqualTo(new SessionLimits(60, 1, 60, 2, 5, 90, 0, 1000, 32, "gzip"));
  }
}
