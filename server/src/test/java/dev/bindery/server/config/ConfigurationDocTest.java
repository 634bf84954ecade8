package dev.bindery.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md documents every key as {@link ConfigKey} declares it: its type and range,
 * default, environment variable and flag.
 */
class ConfigurationDocTest {

  @Test
  void everyKeyHasARowWithItsTypeDefaultEnvironmentVariableAndFlag() throws IOException {
    List<String> rows = Files.readString(Path.of("..", "docs", "configuration.md")).lines()
        .filter(l -> l.startsWith("| `")).toList();
    for (ConfigKey<?> key : ConfigKey.values()) {
      String row = rows.stream().filter(l -> l.startsWith("| `" + key.path() + "` |"))
          .findFirst().orElse(null);
      assertThat(row).as("row for " + key.path()).isNotNull();
      // | key | type | default | environment | flag | meaning |
      List<String> cells = List.of(row.split("\\|", 7)).stream().map(String::trim).toList();
      String shownDefault = key.defaultText().isEmpty() ? "*(empty)*"
          : "`" + key.defaultText() + "`";
      assertThat(cells.get(2)).as(key.path() + " type").isEqualTo(key.type().describe());
      assertThat(cells.get(3)).as(key.path() + " default").isEqualTo(shownDefault);
      assertThat(cells.get(4)).as(key.path() + " env").startsWith("`" + key.env() + "`");
      if (key.flag().isPresent()) {
        assertThat(cells.get(5)).as(key.path() + " flag").startsWith("`" + key.flag().get() + "`");
      } else {
        assertThat(cells.get(5)).as(key.path() + " flag").isEmpty();
      }
    }
  }

  @Test
  void everyKeyRowIsADeclaredKey() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
    int start = doc.indexOf("## Keys");
    String keys = doc.substring(start, doc.indexOf("\n## ", start + 1));
    List<String> documented = keys.lines().filter(l -> l.startsWith("| `"))
        .map(l -> l.substring(3, l.indexOf('`', 3))).toList();
    assertThat(documented).containsExactlyElementsOf(
        ConfigKey.values().stream().map(ConfigKey::path).toList());
  }
}
