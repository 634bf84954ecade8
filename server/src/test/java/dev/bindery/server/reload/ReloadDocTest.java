package dev.bindery.server.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.server.config.ConfigKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/configuration.md names exactly the keys a reload applies. */
class ReloadDocTest {

  private static final String LIST = "**Reloadable keys**:";

  @Test
  void theReloadableKeysOfTheDocsAreThoseAReloadApplies() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
    int start = doc.indexOf(LIST);
    assertThat(start).as("a paragraph starting with " + LIST).isNotNegative();
    String paragraph = doc.substring(start, doc.indexOf("\n\n", start));
    List<String> named = new ArrayList<>();
    Matcher key = Pattern.compile("`([a-z.-]+)`").matcher(paragraph);
    while (key.find()) {
      named.add(key.group(1));
    }

    assertThat(named).containsExactlyInAnyOrderElementsOf(
        RestartOnlySettings.RELOADABLE.stream().map(ConfigKey::path).toList());
  }
}
