package dev.bindery.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md documents every key, with its default, variable and flag. */
class ConfigurationDocTest {

  @Test
  void everyKeyHasARowWithItsDefaultEnvironmentVariableAndFlag() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
    for (ConfigKey key : ConfigKey.values()) {
      String row = doc.lines().filter(l -> l.startsWith("| `" + key.path() + "` |"))
          .findFirst().orElse(null);
      assertThat(row).as("row for " + key.path()).isNotNull();
      String shownDefault = key.defaultValue().isEmpty() ? "*(empty)*"
          : "`" + key.defaultValue().replace("[", "").replace("]", "") + "`";
      if (key == ConfigKey.DOMAINS) {
        shownDefault = "`[localhost]`";
      }
      assertThat(row).as(key.path()).contains(shownDefault).contains("`" + key.env() + "`");
      key.flag().ifPresent(flag -> assertThat(row).as(key.path()).contains("`" + flag + "`"));
    }
  }
}
