package dev.bindery.server.config;


/**
 * Thread-safe. Where the configuration comes from. Loading it again re-reads its sources, so a
 * configuration reload sees what start-up would see now: for the executable, the config file,
 * the environment and the command-line flags (see {@link ConfigLoader}).
 */
@FunctionalInterface
public interface ConfigSource {

  /**
   * The configuration as its sources say now.
   *
   * @throws IllegalArgumentException (often a {@link ConfigException}) naming what is invalid
   */
  ServerConfig load();
}
