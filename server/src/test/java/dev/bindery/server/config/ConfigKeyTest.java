package dev.bindery.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigKeyTest {

  @Test
  void everyDefaultReadsBackFromItsWrittenForm() {
    for (ConfigKey<?> key : ConfigKey.values()) {
      assertThat(key.type().read(key.defaultText())).as(key.path())
          .isEqualTo(key.defaultValue());
    }
  }

  @Test
  void pathsFlagsAndVariablesAreUnique() {
    List<ConfigKey<?>> keys = ConfigKey.values();
    assertThat(new HashSet<>(keys.stream().map(ConfigKey::path).toList())).hasSameSizeAs(keys);
    assertThat(new HashSet<>(keys.stream().map(ConfigKey::env).toList())).hasSameSizeAs(keys);
    List<String> flags = keys.stream().flatMap(k -> k.flag().stream()).toList();
    assertThat(new HashSet<>(flags)).hasSameSizeAs(flags);
  }

  @Test
  void keysAreFoundByPathAndFlag() {
    assertThat(ConfigKey.ofPath("http.port")).contains(ConfigKey.HTTP_PORT);
    assertThat(ConfigKey.ofFlag("--upstream")).contains(ConfigKey.UPSTREAM_ADDRESS);
    assertThat(ConfigKey.ofPath("http")).isEmpty();
    assertThat(ConfigKey.HTTP_PORT.env()).isEqualTo("BINDERY_HTTP_PORT");
  }

  @Test
  void onlyTheListKeysTakeAYamlList() {
    assertThat(ConfigKey.values().stream().filter(k -> k.type().isList()).toList())
        .containsExactly(ConfigKey.HTTP_ALLOWED_ORIGINS, ConfigKey.HTTP_TRUSTED_PROXIES,
            ConfigKey.UPSTREAM_NAME_SERVERS, ConfigKey.DOMAINS, ConfigKey.SERVERS);
  }

  @Test
  void aRefusedValueNamesTheKeyItsOriginAndTheExpectedRange() {
    assertThatThrownBy(() -> ConfigKey.LIMITS_MAX_BODY_SIZE.read(
        new Setting("12", "flag --set limits.max-body-size")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("limits.max-body-size (flag --set limits.max-body-size): invalid number: 12"
            + " (expected: 1024 ~ 67108864)");
    assertThatThrownBy(() -> ConfigKey.SERVERS.read(
        new Setting(List.of("a.example", "b.example,tls=maybe"), "bindery.yml")))
        .hasMessage("servers[1] (bindery.yml): invalid tls: maybe"
            + " (expected: required, optional, direct or none)");
  }
}
