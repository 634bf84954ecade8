package dev.bindery.server.config;

import dev.bindery.protocol.body.BodyLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Stateless. Reads a YAML 1.2 config file (SnakeYAML Engine: no arbitrary types, no duplicate
 * keys) into settings by key. Nested maps become dotted paths: {@code http: {port: 5280}} is
 * {@code http.port}. An unknown key fails, so a typo is never silently ignored.
 */
final class YamlConfigFile {

  /** Anything larger is not a config file. */
  static final int MAX_FILE_BYTES = BodyLimits.ONE_MIB;

  private YamlConfigFile() {}

  static Map<ConfigKey<?>, Setting> read(Path file) {
    String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    Object root;
    try (InputStream in = Files.newInputStream(file)) {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new ConfigException(file + ": larger than " + MAX_FILE_BYTES + " bytes");
      }
      LoadSettings settings = LoadSettings.builder()
          .setLabel(file.toString())
          .setAllowDuplicateKeys(false)
          .setMaxAliasesForCollections(10)
          .build();
      root = new Load(settings).loadFromInputStream(in);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
    } catch (YamlEngineException e) {
      throw new ConfigException(file + ": not valid YAML: " + e.getMessage());
    }
    Map<ConfigKey<?>, Setting> out = new LinkedHashMap<>();
    if (root == null) {
      return out; // an empty file: every default
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new ConfigException(file + ": expected a mapping of keys at the top level");
    }
    flatten("", map, name, out);
    return out;
  }

  private static void flatten(String prefix, Map<?, ?> map, String origin,
      Map<ConfigKey<?>, Setting> out) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String path = prefix + e.getKey();
      var key = ConfigKey.ofPath(path);
      if (key.isPresent()) {
        Object value = e.getValue();
        if (value instanceof Map<?, ?>) {
          throw ConfigException.of(path, origin, "expected a value, not a mapping");
        }
        if (value instanceof List<?> && !key.get().type().isList()) {
          throw ConfigException.of(path, origin, "expected a single value, not a list");
        }
        out.put(key.get(), new Setting(value, origin));
      } else if (e.getValue() instanceof Map<?, ?> nested && isSection(path)) {
        flatten(path + ".", nested, origin, out);
      } else {
        throw ConfigException.of(path, origin, "unknown key (see docs/configuration.md)");
      }
    }
  }

  private static boolean isSection(String path) {
    for (ConfigKey<?> k : ConfigKey.values()) {
      if (k.path().startsWith(path + ".")) {
        return true;
      }
    }
    return false;
  }
}
