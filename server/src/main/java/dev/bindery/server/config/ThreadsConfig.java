package dev.bindery.server.config;

/**
 * Immutable. How many threads Bindery runs. Nothing waits on a thread (held requests are
 * suspended, upstream streams are non-blocking), so a few per core serve any number of sessions;
 * more threads only cost memory, since each keeps its own parser and I/O buffers.
 *
 * @param httpMaxThreads most threads of the HTTP listener's pool (Jetty's selector, acceptor and
 *                       request handling)
 * @param sessionLoops   event loops that run the sessions and their streams to the XMPP
 *                       servers; 0: two per core
 */
public record ThreadsConfig(int httpMaxThreads, int sessionLoops) {

  public static final int DEFAULT_HTTP_MAX_THREADS = 64;
  /** The fewest that leave Jetty's acceptor and selector threads something to hand work to. */
  public static final int MIN_HTTP_THREADS = 8;
  public static final ThreadsConfig DEFAULTS = new ThreadsConfig(DEFAULT_HTTP_MAX_THREADS, 0);

  public ThreadsConfig {
    if (httpMaxThreads < MIN_HTTP_THREADS) {
      throw new IllegalArgumentException("invalid httpMaxThreads: " + httpMaxThreads
          + " (expected: >= " + MIN_HTTP_THREADS + ")");
    }
    if (sessionLoops < 0) {
      throw new IllegalArgumentException(
          "invalid sessionLoops: " + sessionLoops + " (expected: >= 0)");
    }
  }
}
