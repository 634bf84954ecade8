package dev.bindery.loadtest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Immutable. What a soak measured: the node before the load, every sample during it, the node
 * after it settled, the chat's and the churn's own reports, and whether the node came back to
 * its baseline.
 *
 * @param options        the command line
 * @param startedAt      when the load began (after the warm-up and the baseline)
 * @param baseline       the node before the load
 * @param samples        one per period, the first at the start, the last when both runs ended
 * @param last           the node once its live sessions reached 0 and its threads came back
 *                       within the slack (or {@code --settle} passed), {@link SoakRun#QUIET} later
 * @param settleSeconds  how long the node took to end every session after the run; -1 if it had
 *                       not within {@code --settle}
 * @param chat           the chat's report
 * @param churn          the churn's report
 */
record SoakReport(SoakOptions options, Instant startedAt, NodeProbe.Vitals baseline,
    List<Sample> samples, NodeProbe.Vitals last, double settleSeconds, Report chat,
    Report churn) {

  static final String SCHEMA = "bindery-soak/1";
  /** Heap after GC may stay this far above the baseline (caches, compiled code's data). */
  static final long HEAP_SLACK_BYTES = 16L << 20;
  /** Descriptors may stay this far above the baseline (the JVM's own files, a log rotation). */
  static final long DESCRIPTOR_SLACK = 16;
  /** Threads may stay this far above the baseline (pool threads within their idle timeout). */
  static final long THREAD_SLACK = 16;

  /**
   * One point of the timeline.
   *
   * @param minutes        since the load began
   * @param phase          the chat's phase
   * @param node           the node
   * @param sent           chat messages sent so far
   * @param delivered      chat messages delivered so far
   * @param chatOnline     chatting sessions online
   * @param churnLogins    churn logins so far
   * @param churnOnline    churning sessions online
   * @param sessionsFailed sessions of either run that failed or ended on their own, so far
   */
  record Sample(double minutes, String phase, NodeProbe.Vitals node, long sent, long delivered,
      int chatOnline, long churnLogins, int churnOnline, long sessionsFailed) {}

  /** One comparison of the last reading with the baseline. */
  record Check(String what, String baseline, String after, String allowed, boolean passed) {}

  /** The comparisons that make "back to its baseline", and that no message was lost. */
  List<Check> checks() {
    List<Check> out = new ArrayList<>();
    out.add(new Check("live sessions", num(baseline.sessions()), num(last.sessions()), "0",
        last.sessions() == 0));
    out.add(new Check("heap after GC", mib(baseline.heapBytes()), mib(last.heapBytes()),
        "+" + mib(HEAP_SLACK_BYTES), last.heapBytes() >= 0
            && last.heapBytes() <= baseline.heapBytes() + HEAP_SLACK_BYTES));
    out.add(new Check("open descriptors", num(baseline.descriptors()), num(last.descriptors()),
        "+" + DESCRIPTOR_SLACK, last.descriptors() >= 0
            && last.descriptors() <= baseline.descriptors() + DESCRIPTOR_SLACK));
    out.add(new Check("threads", num(baseline.threads()), num(last.threads()),
        "+" + THREAD_SLACK, last.threads() >= 0
            && last.threads() <= baseline.threads() + THREAD_SLACK));
    Report.Messages m = chat.messages();
    out.add(new Check("messages lost", "-", m.lost() + " of " + m.sent(), "0",
        m.lost() == 0 && m.sent() > 0));
    return out;
  }

  /** Whether every check passed. */
  boolean passed() {
    return checks().stream().allMatch(Check::passed);
  }

  /**
   * The growth of heap after GC over the steady part of the run, in bytes: the highest reading
   * of its last third less the highest of its first third. A leak shows as a steady climb.
   */
  long heapDrift() {
    List<Sample> steady = samples.stream().filter(s -> s.phase().equals("steady")).toList();
    if (steady.size() < 3) {
      return 0;
    }
    int third = steady.size() / 3;
    long first = steady.subList(0, third).stream()
        .mapToLong(s -> s.node().heapBytes()).max().orElse(0);
    long lastThird = steady.subList(steady.size() - third, steady.size()).stream()
        .mapToLong(s -> s.node().heapBytes()).max().orElse(0);
    return lastThird - first;
  }

  static String mib(long bytes) {
    return bytes < 0 ? "-" : String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  private static String num(long n) {
    return n < 0 ? "-" : Long.toString(n);
  }
}
