package dev.bindery.protocol.body;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BodyLimitsTest {

  @Test
  void defaultsAreTheDefaultConstants() {
    assertThat(BodyLimits.DEFAULTS).isEqualTo(new BodyLimits(BodyLimits.DEFAULT_MAX_BYTES,
        BodyLimits.DEFAULT_MAX_DEPTH, BodyLimits.DEFAULT_MAX_ATTRIBUTE_LENGTH,
        BodyLimits.DEFAULT_MAX_ATTRIBUTES, BodyLimits.DEFAULT_MAX_PAYLOADS));
  }

  @Test
  void everyLimitMustBePositive() {
    assertThatThrownBy(() -> new BodyLimits(0, 1, 1, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid maxBytes: 0 (expected: > 0)");
    assertThatThrownBy(() -> new BodyLimits(1, 0, 1, 1, 1)).hasMessageContaining("maxDepth");
    assertThatThrownBy(() -> new BodyLimits(1, 1, -1, 1, 1)).hasMessageContaining("maxAttributeLength");
    assertThatThrownBy(() -> new BodyLimits(1, 1, 1, 0, 1)).hasMessageContaining("maxAttributes");
    assertThatThrownBy(() -> new BodyLimits(1, 1, 1, 1, 0)).hasMessageContaining("maxPayloads");
  }

  @Test
  void onesAreAllowed() {
    assertThat(new BodyLimits(1, 1, 1, 1, 1).maxPayloads()).isEqualTo(1);
  }
}
