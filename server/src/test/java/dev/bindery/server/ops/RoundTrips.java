package dev.bindery.server.ops;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Thread-safe: every method is synchronized. The round trip of each chat message, from the
 * moment its sender hands it to its client to the moment its receiver's client delivers it,
 * filed under the phase that was current when it was sent, so that a test compares the
 * latency of a quiet phase with that of a phase under a fault.
 */
final class RoundTrips {

  /**
   * One phase: messages sent, those of them delivered, and the median and 99th percentile of
   * their round trips in milliseconds.
   */
  record Stats(int sent, int delivered, double median, double p99) {
    @Override
    public String toString() {
      return String.format("sent %d, delivered %d, median %.1f ms, p99 %.1f ms", sent,
          delivered, median, p99);
    }
  }

  private record Sent(long nanos, String phase) {}

  private final Map<String, Sent> inFlight = new HashMap<>();
  private final Map<String, List<Long>> byPhase = new HashMap<>();
  private final Map<String, Integer> sentByPhase = new HashMap<>();
  private String phase = "warm-up";

  /** Messages sent from now on count for {@code name}. */
  synchronized void phase(String name) {
    phase = name;
  }

  /** A message with this body is being sent now. */
  synchronized void sent(String body) {
    inFlight.put(body, new Sent(System.nanoTime(), phase));
    sentByPhase.merge(phase, 1, Integer::sum);
  }

  /** A message with this body arrived now; a duplicate, or one never sent here, is ignored. */
  synchronized void received(String body) {
    Sent s = inFlight.remove(body);
    if (s != null) {
      byPhase.computeIfAbsent(s.phase(), p -> new ArrayList<>()).add(System.nanoTime() - s.nanos());
    }
  }

  synchronized Stats stats(String name) {
    List<Long> nanos = new ArrayList<>(byPhase.getOrDefault(name, List.of()));
    int sent = sentByPhase.getOrDefault(name, 0);
    if (nanos.isEmpty()) {
      return new Stats(sent, 0, Double.NaN, Double.NaN);
    }
    nanos.sort(null);
    return new Stats(sent, nanos.size(), percentile(nanos, 50), percentile(nanos, 99));
  }

  /** Nearest-rank percentile of sorted nanoseconds, in milliseconds. */
  private static double percentile(List<Long> sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(rank, 1) - 1) / 1e6;
  }
}
