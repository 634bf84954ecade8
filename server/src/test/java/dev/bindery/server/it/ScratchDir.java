package dev.bindery.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stateless. Throwaway directories for server configs, data and logs. Run with
 * {@code -Dbindery.it.keepDirs=true} to keep them for a look after the run, and with
 * {@code -Dbindery.it.debugServers=true} to have the servers log at debug level.
 */
final class ScratchDir {

  static final String KEEP_PROPERTY = "bindery.it.keepDirs";
  static final String DEBUG_PROPERTY = "bindery.it.debugServers";

  private static final Logger LOG = LoggerFactory.getLogger(ScratchDir.class);

  private ScratchDir() {}

  /** The servers' log level: {@code "debug"} with {@value #DEBUG_PROPERTY}, else {@code "info"}. */
  static String serverLogLevel() {
    return Boolean.getBoolean(DEBUG_PROPERTY) ? "debug" : "info";
  }

  static Path create(String prefix) throws IOException {
    return Files.createTempDirectory("bindery-it-" + prefix + "-");
  }

  /** Deletes {@code dir} and everything in it, unless {@value #KEEP_PROPERTY} is set. */
  static void delete(Path dir) {
    if (Boolean.getBoolean(KEEP_PROPERTY)) {
      LOG.info("keeping {}", dir);
      return;
    }
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      List<Path> paths = walk.sorted(Comparator.reverseOrder()).toList();
      for (Path path : paths) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
