package dev.bindery.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** RFC 4616 (PLAIN) as RFC 6120 §6.4.2 carries it. */
class SaslPlainTest {

  /** RFC 4616 §4: "\0tim\0tanstaaftanstaaf", the example without an authorization identity. */
  @Test
  void encodesTheRfc4616Example() {
    assertThat(SaslPlain.initialResponse("tim", "tanstaaftanstaaf"))
        .isEqualTo("AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
  }

  @Test
  void encodesTheDemoUser() {
    assertThat(SaslPlain.initialResponse("admin", "mypassword1"))
        .isEqualTo("AGFkbWluAG15cGFzc3dvcmQx");
  }

  @Test
  void encodesUtf8() {
    String response = SaslPlain.initialResponse("j\u00fcrgen", "p\u00e4ss \uD83D\uDE00");

    assertThat(new String(Base64.getDecoder().decode(response), StandardCharsets.UTF_8))
        .isEqualTo("\0j\u00fcrgen\0p\u00e4ss \uD83D\uDE00");
  }

  @Test
  void rejectsWhatPlainCannotCarry() {
    assertThatThrownBy(() -> SaslPlain.initialResponse("a\0b", "pw"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SaslPlain.initialResponse("ab", "p\0w"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SaslPlain.initialResponse("", "pw"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
