package dev.bindery.server.reload;

import dev.bindery.server.upstream.UpstreamPolicy;
import java.time.Duration;

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
}
