package dev.bindery.loadtest;

import java.util.concurrent.TimeUnit;

/**
 * Thread-safe: stateless. When things happen in a run: sessions arrive at a fixed rate, and
 * each user's messages form a Poisson process (exponential gaps), so that thousands of users
 * do not send in lock step.
 */
final class Pacing {

  private static final double NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

  private Pacing() {}

  /**
   * How many sessions should have started {@code elapsedNanos} after the start at {@code rate}
   * per second, at most {@code limit}: the first at once, then one every 1/rate seconds.
   */
  static long dueArrivals(long elapsedNanos, double rate, long limit) {
    if (elapsedNanos < 0) {
      return 0;
    }
    double due = Math.floor(elapsedNanos / NANOS_PER_SECOND * rate) + 1;
    return (long) Math.min(limit, due);
  }

  /**
   * The gap to a user's next message at {@code rate} messages per second, given {@code uniform}
   * drawn from (0, 1]: exponentially distributed with mean 1/rate.
   */
  static long nextMessageDelayNanos(double rate, double uniform) {
    if (!(rate > 0)) {
      throw new IllegalArgumentException("invalid rate: " + rate + " (expected: > 0)");
    }
    if (!(uniform > 0 && uniform <= 1)) {
      throw new IllegalArgumentException("invalid uniform: " + uniform + " (expected: (0, 1])");
    }
    return (long) (-Math.log(uniform) / rate * NANOS_PER_SECOND);
  }

  /** The body of a message stamped with its send time, from {@link System#nanoTime()}. */
  static String stampedBody(long sentNanos, long sequence) {
    return STAMP_PREFIX + sentNanos + " #" + sequence;
  }

  /** The send time of a body made by {@link #stampedBody}, or -1 if it has none. */
  static long stampOf(String body) {
    if (!body.startsWith(STAMP_PREFIX)) {
      return -1;
    }
    int end = body.indexOf(' ', STAMP_PREFIX.length());
    try {
      return Long.parseLong(body, STAMP_PREFIX.length(), end < 0 ? body.length() : end, 10);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static final String STAMP_PREFIX = "bindery-loadtest t=";
}
