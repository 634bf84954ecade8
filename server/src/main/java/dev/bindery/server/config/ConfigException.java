package dev.bindery.server.config;

/**
 * Immutable. Invalid configuration: the message names the key, where its value came from and
 * what is wrong, e.g. {@code "http.port (env BINDERY_HTTP_PORT): invalid port: x (expected: 0 ~
 * 65535)"}.
 */
public final class ConfigException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  /** A problem with {@code key}'s value from {@code origin}. */
  static ConfigException of(String key, String origin, String problem) {
    return new ConfigException(key + (origin == null ? "" : " (" + origin + ")") + ": " + problem);
  }
}
