package dev.bindery.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bindery.server.config.ConfigException;
import dev.bindery.server.config.ConfigKey;
import dev.bindery.server.config.ServerConfig;
import dev.bindery.server.upstream.Endpoint;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgumentsTest {

  @Test
  void theFlagsTheDemoAndReadmeUseStillWork() {
    ServerConfig c = Arguments.parse("--port", "5290", "--bind", "0.0.0.0",
        "--upstream", "[::1]:5223", "--domain", "localhost", "--domain=example.com",
        "--allowed-origins", "https://a.example").config(Map.of());

    assertThat(c.http().port()).isEqualTo(5290);
    assertThat(c.http().bind()).isEqualTo("0.0.0.0");
    assertThat(c.upstream().find("localhost").fixed()).isEqualTo(new Endpoint("::1", 5223));
    assertThat(c.domains()).containsExactly("localhost", "example.com");
    assertThat(c.http().allowedOrigins()).containsExactly("https://a.example");
  }

  @Test
  void upstreamFlagsBuildThePolicy() {
    ServerConfig c = Arguments.parse("--server", "a.example,tls=direct", "--server",
        "b.example,address=10.0.0.5:5222,allow-private-addresses=true",
        "--name-server", "127.0.0.1:53", "--trusted-proxies", "10.0.0.0/8").config(Map.of());

    assertThat(c.domains()).containsExactly("a.example", "b.example");
    assertThat(c.upstream().nameServers()).hasSize(1);
    assertThat(c.http().trustedProxies()).containsExactly("10.0.0.0/8");
    assertThatThrownBy(() -> Arguments.parse("--server", "a.example,tls=maybe")
        .config(Map.of())).hasMessageStartingWith("servers[0] (flag --server): ");
  }

  @Test
  void newFlagsAndSetReachAnyKey() {
    ServerConfig c = Arguments.parse("--admin-port", "0", "--set",
        "limits.max-sessions=7", "--drain-grace-period", "5s").config(Map.of());

    assertThat(c.admin().port()).isZero();
    assertThat(c.admission().maxSessions()).isEqualTo(7);
    assertThat(c.drain().gracePeriod()).hasSeconds(5);
  }

  @Test
  void flagsOverrideTheEnvironment() {
    ServerConfig c = Arguments.parse("--port", "1234")
        .config(Map.of("BINDERY_HTTP_PORT", "4321", "BINDERY_ADMIN_PORT", "4322"));
    assertThat(c.http().port()).isEqualTo(1234);
    assertThat(c.admin().port()).isEqualTo(4322);
  }

  @Test
  void badFlagsAreNamed() {
    assertThatThrownBy(() -> Arguments.parse("--nope", "1"))
        .hasMessage("--nope: unknown option (see --help)");
    assertThatThrownBy(() -> Arguments.parse("--port"))
        .hasMessage("--port: missing value");
    assertThatThrownBy(() -> Arguments.parse("--set", "x.y=1"))
        .hasMessageContaining("unknown key: x.y");
    assertThatThrownBy(() -> Arguments.parse("--port", "70000").config(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("http.port (flag --port): invalid port: 70000 (expected: 0 ~ 65535)");
    assertThatThrownBy(() -> Arguments.parse("--config", "/nonexistent.yml").config(Map.of()))
        .hasMessage("config file not found: /nonexistent.yml");
  }

  @Test
  void helpListsEveryFlagWithItsTypeDefaultAndVariable() {
    assertThat(Arguments.parse("--help").action).isEqualTo(Arguments.Action.HELP);
    assertThat(Arguments.parse("-h").action).isEqualTo(Arguments.Action.HELP);
    String usage = Arguments.usage();
    String flat = usage.replaceAll("\\s+", " ");
    for (ConfigKey<?> key : ConfigKey.values()) {
      key.flag().ifPresent(flag -> assertThat(usage).contains(flag + "=").contains(key.env()));
      String shown = key.defaultText().isEmpty() ? "none" : key.defaultText();
      key.flag().ifPresent(flag -> assertThat(flat).as(flag)
          .contains("(" + key.type().describe() + "; default " + shown + ";"));
    }
    assertThat(usage).contains("--config=FILE", "--set=KEY=VALUE", "--version");
  }

  @Test
  void repeatedFlagsAddUpAndSetRepeats() {
    Arguments a = Arguments.parse("--domain", "a.example", "--domain", "b.example",
        "--server", "c.example", "--server", "d.example", "--set", "limits.max-sessions=3",
        "--set", "session.max-hold=2", "--port", "1", "--port", "2");

    assertThat(a.flags).containsEntry(ConfigKey.DOMAINS, "a.example,b.example")
        .containsEntry(ConfigKey.SERVERS, "c.example;d.example")
        .containsEntry(ConfigKey.LIMITS_MAX_SESSIONS, "3")
        .containsEntry(ConfigKey.SESSION_MAX_HOLD, "2")
        .containsEntry(ConfigKey.HTTP_PORT, "2");
  }

  @Test
  void completionAndVersionAreCommandsOfTheirOwn() {
    assertThat(Arguments.parse("generate-completion").action)
        .isEqualTo(Arguments.Action.COMPLETION);
    assertThat(Arguments.completionScript()).contains("complete -F", "--upstream", "--node-name");
    assertThat(Arguments.parse("--version").action).isEqualTo(Arguments.Action.VERSION);
  }
}
