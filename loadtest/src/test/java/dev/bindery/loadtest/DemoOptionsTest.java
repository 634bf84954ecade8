package dev.bindery.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {

  @Test
  void noArgumentsGiveTheClassicDemo() {
    assertThat(DemoOptions.parse(new String[0])).isEqualTo(DemoOptions.defaults());
    assertThat(DemoOptions.defaults().url())
        .isEqualTo(URI.create("http://127.0.0.1:5280/http-bind"));
    assertThat(DemoOptions.defaults().user1()).isEqualTo("admin");
    assertThat(DemoOptions.defaults().user2()).isEqualTo("myself");
  }

  @Test
  void flagsOverrideTheDefaults() {
    DemoOptions options = DemoOptions.parse(new String[] {"--url",
        "http://127.0.0.1:5290/http-bind", "--domain", "example.org", "--user1", "romeo",
        "--password1", "r", "--user2", "juliet", "--password2", "j", "--interval", "1",
        "--rounds", "3", "--wire"});

    assertThat(options).isEqualTo(new DemoOptions(URI.create("http://127.0.0.1:5290/http-bind"),
        "example.org", "romeo", "r", "juliet", "j", Duration.ofSeconds(1), 3, true));
  }

  @Test
  void helpReturnsNull() {
    assertThat(DemoOptions.parse(new String[] {"--help"})).isNull();
  }

  @Test
  void mistakesAreExplained() {
    assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--url"}))
        .hasMessage("--url: missing value");
    assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--url", "127.0.0.1:5280"}))
        .hasMessageStartingWith("invalid --url: 127.0.0.1:5280");
    assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--interval", "soon"}))
        .hasMessage("invalid --interval: soon (expected: a number)");
    assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--user2", "admin"}))
        .hasMessage("--user1 and --user2 must differ: admin");
    assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--verbose"}))
        .hasMessage("unknown option: --verbose");
  }

  @Test
  void toStringHidesThePasswords() {
    assertThat(DemoOptions.defaults().toString()).doesNotContain("mypassword");
  }
}
