package dev.bindery.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The soak's command line, and the chat and churn runs it makes of it. */
class SoakOptionsTest {

  @Test
  void defaultsAreAnHourOfAThousandChattersBesideTwoLoginsASecond() {
    SoakOptions o = SoakOptions.parse("--bindery-pid", "42");
    assertThat(o.sessions()).isEqualTo(1000);
    assertThat(o.duration()).isEqualTo(Duration.ofHours(1));
    assertThat(o.sampleEvery()).isEqualTo(Duration.ofMinutes(1));
    assertThat(o.churnRate()).isEqualTo(2);
    assertThat(o.churnSessions()).isEqualTo(100);
    assertThat(o.metricsUrl()).isEqualTo(URI.create("http://127.0.0.1:9280/metrics"));
    assertThat(o.binderyPid()).isEqualTo(42);
    assertThat(o.label()).isEqualTo("soak-1000");
  }

  @Test
  void theChurnUsesTheUsersAfterTheChattersAndNeverTheirMessages() {
    SoakOptions o = SoakOptions.parse("--bindery-pid", "42", "--sessions", "50",
        "--churn-sessions", "7", "--churn-rate", "3", "--churn-linger", "4", "--duration", "90",
        "--users", "u%d", "--password", "p%d", "--source-addresses", "127.0.0.2-127.0.0.3");
    LoadOptions chat = o.chat();
    LoadOptions churn = o.churn();
    assertThat(chat.scenario()).isEqualTo(LoadOptions.Scenario.CHAT);
    assertThat(chat.user(0)).isEqualTo("u0");
    assertThat(chat.user(49)).isEqualTo("u49");
    assertThat(churn.scenario()).isEqualTo(LoadOptions.Scenario.LOGIN_STORM);
    assertThat(churn.user(0)).isEqualTo("u50");
    assertThat(churn.password(6)).isEqualTo("p56");
    assertThat(churn.sessions()).isEqualTo(7);
    assertThat(churn.arrivalRate()).isEqualTo(3);
    assertThat(churn.linger()).isEqualTo(Duration.ofSeconds(4));
    assertThat(churn.warmup()).isZero();
    assertThat(churn.duration()).isEqualTo(chat.duration()).isEqualTo(Duration.ofSeconds(90));
    assertThat(churn.sourceAddresses()).containsExactly("127.0.0.2", "127.0.0.3");
  }

  @Test
  void badValuesNameTheirFlag() {
    assertThatThrownBy(() -> SoakOptions.parse()).hasMessageStartingWith("--bindery-pid");
    assertThatThrownBy(() -> SoakOptions.parse("--bindery-pid", "x"))
        .hasMessage("--bindery-pid: x (expected: an integer > 0)");
    assertThatThrownBy(() -> SoakOptions.parse("--bindery-pid", "1", "--churn-rate", "0"))
        .hasMessage("--churn-rate: 0 (expected: a number > 0)");
    assertThatThrownBy(() -> SoakOptions.parse("--bindery-pid", "1", "--sample-every", "0"))
        .hasMessage("--sample-every: 0 (expected: > 0)");
    assertThatThrownBy(() -> SoakOptions.parse("--bindery-pid", "1", "--sessions", "0"))
        .hasMessageStartingWith("--sessions: 0");
    assertThatThrownBy(() -> SoakOptions.parse("--bindery-pid", "1", "--bogus", "1"))
        .hasMessage("unknown option: --bogus");
  }

  @Test
  void helpListsEveryFlag() {
    assertThat(SoakOptions.parse("--help")).isNull();
    assertThat(SoakOptions.usage()).contains("--churn-rate", "--sample-every", "--metrics-url",
        "--bindery-pid", "--settle");
  }
}
