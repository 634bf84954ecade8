package dev.bindery.protocol.testing;

import java.lang.management.ManagementFactory;

/**
 * Thread-safe: stateless. Bytes allocated on the current thread, from HotSpot's per-thread
 * counter, for fuzz tests that bound what a parser allocates for one input.
 */
public final class Allocations {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private Allocations() {}

  /** The bytes the current thread has allocated so far; only differences mean anything. */
  public static long current() {
    return THREADS.getCurrentThreadAllocatedBytes();
  }
}
