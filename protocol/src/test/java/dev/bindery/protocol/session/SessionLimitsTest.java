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
}
