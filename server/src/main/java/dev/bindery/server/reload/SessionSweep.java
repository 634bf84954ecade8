package dev.bindery.server.reload;

import dev.bindery.server.upstream.UpstreamPolicy;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Thread-safe. The live sessions of one transport, as a reload sees them: those a new policy no
 * longer serves end with {@code host-gone}.
 */
@FunctionalInterface
public interface SessionSweep {

  /**
   * Ends every session {@code policy} no longer serves, waiting up to {@code patience} for their
   * event loops to decide; returns how many ended.
   */
  int endSessionsNotServedBy(UpstreamPolicy policy, Duration patience);

  /**
   * How many of the sessions' own decisions (true: it ended) came out true within {@code
   * patience} in all: the sessions decide on their event loops, the sweep only waits, bounded.
   */
  static int ended(List<Future<Boolean>> decisions, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    int ended = 0;
    for (Future<Boolean> d : decisions) {
      long left = Math.max(0, deadline - System.nanoTime());
      if (d.awaitUninterruptibly(left, TimeUnit.NANOSECONDS) && d.isSuccess()
          && Boolean.TRUE.equals(d.getNow())) {
        ended++;
      }
    }
    return ended;
  }
}
