package dev.bindery.server.config;

import java.util.Locale;
import java.util.Objects;
import java.util.List;

/**
 * Immutable. Logging as the executable sets it up (tests and embedders keep their own).
 *
 * @param level  the root level: TRACE, DEBUG, INFO, WARN or ERROR
 * @param format {@code text} (one human-readable line per event) or {@code json} (one JSON object
 *               per line, for log shippers)
 * @param wire   log every body and stanza on the {@code dev.bindery.wire} logger at TRACE
 */
public record LogConfig(String level, String format, boolean wire) {

  /** The root levels, most verbose first. */
  public static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
  public static final List<String> FORMATS = List.of("text", "json");

  public static final String DEFAULT_LEVEL = "INFO";
  public static final String DEFAULT_FORMAT = "text";
  public static final LogConfig DEFAULTS = new LogConfig(DEFAULT_LEVEL, DEFAULT_FORMAT, false);

  public LogConfig {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(format, "format");
    level = level.toUpperCase(Locale.ROOT);
    format = format.toLowerCase(Locale.ROOT);
    if (!LEVELS.contains(level)) {
      throw new IllegalArgumentException(
          "invalid level: " + level + " (expected: TRACE, DEBUG, INFO, WARN or ERROR)");
    }
    if (!FORMATS.contains(format)) {
      throw new IllegalArgumentException("invalid format: " + format + " (expected: text or json)");
    }
  }
}
