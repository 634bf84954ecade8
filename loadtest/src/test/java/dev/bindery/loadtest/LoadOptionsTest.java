package dev.bindery.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bindery.client.H2cBoshTransport;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {

  @Test
  void defaultsAreAChatOfAHundredUsers() {
    LoadOptions o = LoadOptions.parse();
    assertThat(o.url()).isEqualTo(URI.create("http://127.0.0.1:5280/http-bind"));
    assertThat(o.scenario()).isEqualTo(LoadOptions.Scenario.CHAT);
    assertThat(o.sessions()).isEqualTo(100);
    assertThat(o.messageRate()).isEqualTo(0.2);
    assertThat(o.waitSeconds()).isEqualTo(60);
    assertThat(o.warmup()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.label()).isEqualTo("chat-100");
    assertThat(o.user(7)).isEqualTo("user7");
    assertThat(o.http()).isEqualTo(LoadOptions.Http.HTTP_1_1);
  }

  @Test
  void http2SharesFourConnectionsUnlessToldOtherwise() {
    assertThat(LoadOptions.parse("--http", "2").http()).isEqualTo(LoadOptions.Http.HTTP_2);
    assertThat(LoadOptions.parse("--http", "2").h2Connections())
        .isEqualTo(H2cBoshTransport.DEFAULT_CONNECTIONS).isEqualTo(4);
    assertThat(LoadOptions.parse("--http=2", "--h2-connections", "16").h2Connections())
        .isEqualTo(16);
    assertThat(LoadOptions.parse("--http", "1.1").http()).isEqualTo(LoadOptions.Http.HTTP_1_1);
  }

  @Test
  void readsEveryFlagInBothSpellings() {
    LoadOptions o = LoadOptions.parse("--url", "http://127.0.0.1:1/b", "--domain=example.org",
        "--route", "xmpp:127.0.0.1:5222", "--users", "u%d-x", "--first-user", "10",
        "--password", "p%d", "--sessions=20000", "--arrival-rate", "500",
        "--message-rate", "0.5", "--duration", "1.5", "--scenario", "login-storm",
        "--wait", "30", "--drain", "2", "--linger", "0.25", "--source-addresses",
        "127.0.0.2-127.0.0.4,127.0.0.9", "--threads", "3", "--label", "x", "--json", "r.json",
        "--html", "r.html", "--monitor", "a=12", "--monitor-jvm", "b=13", "--warmup", "0");
    assertThat(o.domain()).isEqualTo("example.org");
    assertThat(o.route()).isEqualTo("xmpp:127.0.0.1:5222");
    assertThat(o.user(0)).isEqualTo("u10-x");
    assertThat(o.password(1)).isEqualTo("p11");
    assertThat(o.sessions()).isEqualTo(20000);
    assertThat(o.arrivalRate()).isEqualTo(500);
    assertThat(o.duration()).isEqualTo(Duration.ofMillis(1500));
    assertThat(o.scenario()).isEqualTo(LoadOptions.Scenario.LOGIN_STORM);
    assertThat(o.linger()).isEqualTo(Duration.ofMillis(250));
    assertThat(o.sourceAddresses())
        .containsExactly("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.9");
    assertThat(o.json()).isEqualTo(Path.of("r.json"));
    assertThat(o.monitors()).containsEntry("a", 12L).containsEntry("b", 13L);
    assertThat(o.jvmMonitors()).containsExactly("b");
    assertThat(o.warmup()).isZero();
  }

  @Test
  void selfMonitorsThisProcess() {
    assertThat(LoadOptions.parse("--monitor", "gen=self").monitors())
        .containsEntry("gen", ProcessHandle.current().pid());
  }

  @Test
  void helpReturnsNull() {
    assertThat(LoadOptions.parse("--sessions", "5", "--help")).isNull();
  }

  @Test
  void badValuesNameTheirFlag() {
    assertThatThrownBy(() -> LoadOptions.parse("--sessions", "0"))
        .hasMessage("--sessions: 0 (expected: an integer >= 1)");
    assertThatThrownBy(() -> LoadOptions.parse("--scenario", "party"))
        .hasMessageStartingWith("--scenario: unknown: party");
    assertThatThrownBy(() -> LoadOptions.parse("--users", "bob"))
        .hasMessageStartingWith("--users: bob");
    assertThatThrownBy(() -> LoadOptions.parse("--url", "ftp://x/"))
        .hasMessageStartingWith("--url:");
    assertThatThrownBy(() -> LoadOptions.parse("--arrival-rate", "0"))
        .hasMessageStartingWith("--arrival-rate:");
    assertThatThrownBy(() -> LoadOptions.parse("--monitor", "nopid"))
        .hasMessageStartingWith("--monitor: nopid");
    assertThatThrownBy(() -> LoadOptions.parse("--duration"))
        .hasMessage("--duration: missing value");
    assertThatThrownBy(() -> LoadOptions.parse("--bogus", "1"))
        .hasMessage("unknown option: --bogus");
    assertThatThrownBy(() -> LoadOptions.parse("--http", "3"))
        .hasMessage("--http: unknown: 3 (expected: 1.1 or 2)");
    assertThatThrownBy(() -> LoadOptions.parse("--http", "2", "--h2-connections", "0"))
        .hasMessage("--h2-connections: 0 (expected: an integer >= 1)");
    assertThatThrownBy(() -> LoadOptions.parse("--h2-connections", "2"))
        .hasMessage("--h2-connections: only with --http 2");
    assertThatThrownBy(() -> LoadOptions.parseAddresses("127.0.0.2-10.0.0.3"))
        .hasMessageStartingWith("--source-addresses: invalid range");
  }
}
