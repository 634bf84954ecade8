package dev.bindery.server.config;

import dev.bindery.protocol.body.BodyLimits;

/**
 * Immutable. HTTP/2 on the BOSH listeners, beside HTTP/1.1: h2c by prior knowledge (RFC 9113
 * §3.3) on the plain listener, so a proxy's HTTP/2 backend carries many sessions' held requests
 * over a few connections; h2 chosen by ALPN on the HTTPS listener, so a browser multiplexes a
 * session's concurrent requests over one connection.
 *
 * <p>A held BOSH request is one open stream for up to {@code wait} seconds, so a connection
 * carrying a proxy's traffic needs far more concurrent streams than a web page does. Flow-control
 * windows are credit, not buffers: a BOSH body is read as soon as it arrives, so the windows only
 * bound how much one client may send ahead of being read.
 *
 * @param enabled              serve HTTP/2 at all
 * @param maxConcurrentStreams streams one connection may have open at once
 *                             (SETTINGS_MAX_CONCURRENT_STREAMS)
 * @param initialStreamWindow  bytes a client may send on one stream before a window update
 *                             (SETTINGS_INITIAL_WINDOW_SIZE)
 * @param initialConnectionWindow bytes a client may send on one connection before a window
 *                             update
 * @param maxControlFramesPerSecond stream resets and other control frames (PING, SETTINGS,
 *                             PRIORITY, empty DATA) one connection may send per second before it
 *                             is closed with ENHANCE_YOUR_CALM: the rapid-reset defence. A proxy
 *                             resets a stream for every client that goes away, so its shared
 *                             connection needs far more than a browser's (Jetty's default, 128)
 */
public record Http2Config(boolean enabled, int maxConcurrentStreams, int initialStreamWindow,
    int initialConnectionWindow, int maxControlFramesPerSecond) {

  public static final int DEFAULT_MAX_CONCURRENT_STREAMS = 4096;
  /** A whole default-sized body (1 MiB, {@code limits.max-body-size}) fits one stream's window. */
  public static final int DEFAULT_INITIAL_STREAM_WINDOW = BodyLimits.DEFAULT_MAX_BYTES;
  public static final int DEFAULT_INITIAL_CONNECTION_WINDOW = 16 << 20;
  /** RFC 9113 §6.9.2: a flow-control window's initial size is at most 2^31-1. */
  public static final int MAX_WINDOW = Integer.MAX_VALUE;
  /** RFC 9113 §6.9.2: the initial window of a connection is 65,535 and can only grow. */
  public static final int MIN_WINDOW = 65_535;
  public static final int DEFAULT_MAX_CONTROL_FRAMES_PER_SECOND = 2_000;

  public static final Http2Config DEFAULTS = new Http2Config(true, DEFAULT_MAX_CONCURRENT_STREAMS,
      DEFAULT_INITIAL_STREAM_WINDOW, DEFAULT_INITIAL_CONNECTION_WINDOW,
      DEFAULT_MAX_CONTROL_FRAMES_PER_SECOND);
  public static final Http2Config DISABLED = new Http2Config(false, DEFAULT_MAX_CONCURRENT_STREAMS,
      DEFAULT_INITIAL_STREAM_WINDOW, DEFAULT_INITIAL_CONNECTION_WINDOW,
      DEFAULT_MAX_CONTROL_FRAMES_PER_SECOND);

  public Http2Config {
    if (maxConcurrentStreams < 1) {
      throw new IllegalArgumentException("invalid maxConcurrentStreams: " + maxConcurrentStreams
          + " (expected: >= 1)");
    }
    if (initialStreamWindow < MIN_WINDOW) {
      throw new IllegalArgumentException("invalid initialStreamWindow: " + initialStreamWindow
          + " (expected: " + MIN_WINDOW + " ~ " + MAX_WINDOW + ")");
    }
    if (initialConnectionWindow < MIN_WINDOW) {
      throw new IllegalArgumentException("invalid initialConnectionWindow: "
          + initialConnectionWindow + " (expected: " + MIN_WINDOW + " ~ " + MAX_WINDOW + ")");
    }
    if (maxControlFramesPerSecond < 1) {
      throw new IllegalArgumentException("invalid maxControlFramesPerSecond: "
          + maxControlFramesPerSecond + " (expected: >= 1)");
    }
  }
}
