package dev.bindery.protocol.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeySequenceTest {

  private static final String K1 = "035807771e42856c283c034f59b37669fd667dd3";
  private static final String K2 = "2b1944a9e6bc1370fd8da47a6b793cdd09932957";
  private static final String K3 = "a73c7365f48d0e4374caac5563dca939ec7c1c34";

  @Test
  void sha1HexIsLowerCaseHex() {
    assertThat(KeySequence.sha1Hex("seed-one")).isEqualTo(K1);
    assertThat(KeySequence.sha1Hex(K1)).isEqualTo(K2);
    assertThat(KeySequence.sha1Hex("")).isEqualTo("da39a3ee5e6b4b0d3255bfef95601890afd80709");
  }

  @Test
  void withoutASequenceEverythingIsAccepted() {
    KeySequence keys = new KeySequence(null);

    assertThat(keys.accept(null, null)).isTrue();
    assertThat(keys.accept("whatever", null)).isTrue();
  }

  @Test
  void aLaterNewkeyBeginsASequence() {
    KeySequence keys = new KeySequence(null);

    assertThat(keys.accept(null, K3)).isTrue();
    assertThat(keys.accept(null, null)).isFalse();
  }

  @Test
  void eachKeyMustHashToThePreviousOne() {
    KeySequence keys = new KeySequence(K3);

    assertThat(keys.accept(K2, null)).isTrue();
    assertThat(keys.accept(K1, null)).isTrue();
    assertThat(keys.accept(K1, null)).isFalse();
  }

  @Test
  void aRefusedKeyDoesNotAdvanceTheSequence() {
    KeySequence keys = new KeySequence(K3);

    assertThat(keys.accept("wrong", null)).isFalse();
    assertThat(keys.accept(K2, null)).isTrue();
  }
}
