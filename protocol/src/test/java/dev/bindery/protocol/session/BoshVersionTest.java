package dev.bindery.protocol.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BoshVersionTest {

  private static BoshVersion v(String text) {
    return BoshVersion.parse(text).orElseThrow();
  }

  @Test
  void parsesMajorAndMinor() {
    assertThat(v("1.6")).isEqualTo(new BoshVersion(1, 6));
    assertThat(v("1.11")).isEqualTo(new BoshVersion(1, 11));
    assertThat(v("2.0")).isEqualTo(new BoshVersion(2, 0));
    assertThat(v("01.010")).isEqualTo(new BoshVersion(1, 10));
    assertThat(v("123456789.123456789")).isEqualTo(new BoshVersion(123456789, 123456789));
  }

  @Test
  void minorNumberIsASeparateInteger() {
    // XEP-0124 §7.1: "the minor number MAY be incremented higher than a single digit, so it MUST
    // be treated as a separate integer"
    assertThat(v("1.10")).isGreaterThan(v("1.6"));
    assertThat(v("1.10")).isGreaterThan(v("1.9"));
    assertThat(v("2.0")).isGreaterThan(v("1.99"));
    assertThat(v("1.6")).isEqualByComparingTo(v("1.06"));
  }

  @Test
  void minIsTheOlderVersion() {
    assertThat(v("1.10").min(v("1.6"))).isEqualTo(v("1.6"));
    assertThat(v("1.6").min(v("1.10"))).isEqualTo(v("1.6"));
    assertThat(BoshVersion.CURRENT.min(v("9.0"))).isEqualTo(BoshVersion.CURRENT);
    assertThat(v("1.6").min(v("1.6"))).isEqualTo(v("1.6"));
  }

  @Test
  void currentIsXep0124Version111() {
    assertThat(BoshVersion.CURRENT).hasToString("1.11");
  }

  @Test
  void toStringIsTheWireForm() {
    assertThat(v("1.10")).hasToString("1.10");
    assertThat(v("01.06")).hasToString("1.6");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1", "16", "1.", ".6", ".", "1..6", "1.6.1", "a.b", "1.x", "x.1",
      "-1.6", "1.-6", "+1.6", "1.+6", " 1.6", "1.6 ", "1 .6", "1,6", "v1.6", "1.6a",
      "1234567890.1", "1.1234567890", "99999999999.0", "\u0661.\u0666", "\uFF11.\uFF16"})
  void rejectsGarbage(String text) {
    assertThat(BoshVersion.parse(text)).isEmpty();
  }

  @Test
  void rejectsNull() {
    assertThat(BoshVersion.parse(null)).isEmpty();
  }
}
