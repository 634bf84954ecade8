package dev.bindery.loadtest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Immutable. The result of one load run, as written to JSON ({@link ReportJson}) and HTML
 * ({@link ReportHtml}). Times are in milliseconds unless a name says otherwise.
 */
record Report(
    String label,
    LoadOptions options,
    Instant startedAt,
    String transport,
    Sessions sessions,
    Messages messages,
    long requests,
    Map<String, Long> errors,
    Map<String, String> errorExamples,
    Map<String, Percentiles> histograms,
    Steady steady,
    Map<String, Heap> heap,
    List<Tick> timeline) {

  /** The version of the JSON layout; bumped when a field changes meaning or goes away. */
  static final int SCHEMA_VERSION = 1;

  record Sessions(int target, long started, int peakOnline, long failed, long dropped,
      long logins, long logouts, long arrivalsSkipped, long connections) {}

  /** {@code lost} = sent - delivered - bounced: never hidden, never negative-clamped. */
  record Messages(long sent, long delivered, long bounced, long lost, long unaddressable) {}

  /** A histogram's summary in milliseconds. */
  record Percentiles(long count, double min, double mean, double p50, double p90, double p99,
      double p999, double max) {

    static Percentiles of(Histogram h) {
      if (h.getTotalCount() == 0) {
        return new Percentiles(0, 0, 0, 0, 0, 0, 0, 0);
      }
      return new Percentiles(h.getTotalCount(), ms(h.getMinValue()), h.getMean() / 1000.0,
          ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
          ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)),
          ms(h.getMaxValue()));
    }
  }

  /**
   * The steady phase: how long, what went through, and each monitored process's CPU time in it.
   */
  record Steady(double seconds, long sent, long delivered, long logins, int online,
      Map<String, Double> cpuSeconds, Map<String, Long> rssBytes) {

    /** CPU milliseconds per delivered message, by process. */
    Map<String, Double> cpuMsPerMessage() {
      return per(delivered);
    }

    /** CPU milliseconds per completed login, by process. */
    Map<String, Double> cpuMsPerLogin() {
      return per(logins);
    }

    /** CPU percent of one core, by process. */
    Map<String, Double> cpuPercent() {
      Map<String, Double> out = new LinkedHashMap<>();
      cpuSeconds.forEach((k, v) -> out.put(k, seconds > 0 ? v / seconds * 100 : 0));
      return out;
    }

    private Map<String, Double> per(long count) {
      Map<String, Double> out = new LinkedHashMap<>();
      if (count > 0) {
        cpuSeconds.forEach((k, v) -> out.put(k, v * 1000 / count));
      }
      return out;
    }
  }

  /** A JVM's used heap after a full GC, before the run and with all sessions online. */
  record Heap(long beforeBytes, long steadyBytes, int online) {
    /** Bytes per online session, or -1 if unknown. */
    long perSessionBytes() {
      if (beforeBytes < 0 || steadyBytes < 0 || online <= 0) {
        return -1;
      }
      return (steadyBytes - beforeBytes) / online;
    }
  }

  /** One second of the run. Totals are cumulative; the rest covers that second only. */
  record Tick(double t, String phase, int online, long startedTotal, long failedTotal,
      long sentTotal, long deliveredTotal, long errorsTotal, long requestsTotal,
      long loginsTotal, long sent, long delivered,
      long requests, long logins, long errors, double setupP50, double setupP99,
      double latencyP50, double latencyP99, double latencyMax, long latencyCount,
      Map<String, Double> cpuPercent, Map<String, Long> rssBytes) {

    static Tick of(double t, String phase, LoadMetrics m,
        Map<LoadMetrics.Kind, Histogram> interval, Map<String, Double> cpuPercent,
        Map<String, Long> rss, Tick previous) {
      long sentTotal = m.messagesSent.sum();
      long deliveredTotal = m.messagesDelivered.sum();
      long errorsTotal = m.errorCount.sum();
      long requests = m.requests.sum();
      long logins = m.logins.sum();
      Histogram setup = interval.get(LoadMetrics.Kind.SETUP);
      Histogram latency = interval.get(LoadMetrics.Kind.LATENCY);
      return new Tick(round(t), phase, m.online.get(), m.sessionsStarted.sum(),
          m.sessionsFailed.sum(), sentTotal, deliveredTotal, errorsTotal, requests, logins,
          sentTotal - (previous == null ? 0 : previous.sentTotal),
          deliveredTotal - (previous == null ? 0 : previous.deliveredTotal),
          requests - (previous == null ? 0 : previous.requestsTotal),
          logins - (previous == null ? 0 : previous.loginsTotal),
          errorsTotal - (previous == null ? 0 : previous.errorsTotal),
          pct(setup, 50), pct(setup, 99), pct(latency, 50), pct(latency, 99),
          latency.getTotalCount() == 0 ? 0 : ms(latency.getMaxValue()), latency.getTotalCount(),
          cpuPercent, rss);
    }

    private static double pct(Histogram h, double p) {
      return h.getTotalCount() == 0 ? 0 : ms(h.getValueAtPercentile(p));
    }
  }

  static Report of(LoadOptions o, Instant startedAt, String transport, LoadMetrics m,
      List<Tick> timeline, Steady steady, Map<String, Long> heapBefore,
      Map<String, Long> heapSteady, int onlineAtHeap, long arrivalsSkipped) {
    Sessions sessions = new Sessions(o.sessions(), m.sessionsStarted.sum(), m.peakOnline.get(),
        m.sessionsFailed.sum(), m.sessionsDropped.sum(), m.logins.sum(), m.logouts.sum(),
        arrivalsSkipped, m.connections.sum());
    long sent = m.messagesSent.sum();
    long delivered = m.messagesDelivered.sum();
    long bounced = m.messagesBounced.sum();
    Messages messages = new Messages(sent, delivered, bounced, sent - delivered - bounced,
        m.messagesUnaddressable.sum());
    Map<String, Percentiles> histograms = new LinkedHashMap<>();
    histograms.put("setup", Percentiles.of(m.total(LoadMetrics.Kind.SETUP)));
    histograms.put("latency", Percentiles.of(m.total(LoadMetrics.Kind.LATENCY)));
    histograms.put("latencySteady", Percentiles.of(m.steadyLatency()));
    histograms.put("roundTrip", Percentiles.of(m.total(LoadMetrics.Kind.ROUND_TRIP)));
    histograms.put("roundTripPayload",
        Percentiles.of(m.total(LoadMetrics.Kind.ROUND_TRIP_PAYLOAD)));
    Map<String, Heap> heap = new LinkedHashMap<>();
    heapBefore.forEach((name, before) -> heap.put(name,
        new Heap(before, heapSteady.getOrDefault(name, -1L), onlineAtHeap)));
    return new Report(o.label(), o, startedAt, transport, sessions, messages, m.requests.sum(),
        m.errors(), m.errorExamples(), histograms, steady, heap, List.copyOf(timeline));
  }

  static double ms(long micros) {
    return micros / 1000.0;
  }

  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
