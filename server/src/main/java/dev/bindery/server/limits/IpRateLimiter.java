package dev.bindery.server.limits;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Thread-safe: one atomic map update per call. Counts events per client address in one-second
 * windows and says whether another is allowed. Old windows are swept when the map grows.
 */
final class IpRateLimiter {

  /** Sweep windows of past seconds once the map holds this many addresses. */
  static final int SWEEP_THRESHOLD = 10_000;

  private record Window(long second, int count) {}

  private final int perSecond;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  /** @param perSecond most events per address per second; 0 for no limit */
  IpRateLimiter(int perSecond, LongSupplier nanoClock) {
    this.perSecond = perSecond;
    this.nanoClock = nanoClock;
  }

  /** Counts one event for {@code address}; false if it is one too many this second. */
  boolean tryAcquire(String address) {
    if (perSecond == 0) {
      return true;
    }
    long second = nanoClock.getAsLong() / 1_000_000_000L;
    Window w = windows.compute(address, (a, old) -> old == null || old.second != second
        ? new Window(second, 1)
        : new Window(second, old.count + 1));
    if (windows.size() > SWEEP_THRESHOLD) {
      windows.values().removeIf(old -> old.second < second);
    }
    return w.count <= perSecond;
  }

  /** Addresses tracked, for tests. */
  int tracked() {
    return windows.size();
  }
}
