package dev.bindery.loadtest;

import dev.bindery.client.BoshException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Thread-safe: the sessions record from their event loops; one reporting thread takes the
 * interval snapshots ({@link #snapshot}). What a run measures: session setup time, message
 * delivery latency and request round trips in HdrHistograms (microseconds, 3 significant
 * digits), and counts of sessions, messages, requests and errors.
 */
final class LoadMetrics {

  /** Longest value a histogram holds: 10 minutes, in microseconds. */
  static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(10);
  static final int SIGNIFICANT_DIGITS = 3;

  /** The histograms a run keeps. */
  enum Kind {
    /** From the first request of a session to initial presence sent. */
    SETUP("session setup"),
    /** From handing a message to the sender's session to its arrival at the recipient. */
    LATENCY("message delivery latency"),
    /** Every HTTP exchange, including the time a connection manager held the request. */
    ROUND_TRIP("request round trip, held requests included"),
    /** HTTP exchanges that are not empty polls: creation, restart, payloads, terminate. */
    ROUND_TRIP_PAYLOAD("request round trip, requests with payloads");

    final String title;

    Kind(String title) {
      this.title = title;
    }
  }

  private final Map<Kind, Recorder> recorders = new ConcurrentHashMap<>();
  /** Everything since the start; only the reporting thread touches these. */
  private final Map<Kind, Histogram> totals = new TreeMap<>();
  /** Latencies of messages delivered while the run was steady; reporting thread only. */
  private final Histogram steadyLatency = newHistogram();

  final LongAdder sessionsStarted = new LongAdder();
  final LongAdder sessionsFailed = new LongAdder();
  /** Sessions that ended on their own, after being online, before we logged them out. */
  final LongAdder sessionsDropped = new LongAdder();
  final LongAdder logins = new LongAdder();
  final LongAdder logouts = new LongAdder();
  final AtomicInteger online = new AtomicInteger();
  final AtomicInteger peakOnline = new AtomicInteger();
  final LongAdder messagesSent = new LongAdder();
  final LongAdder messagesDelivered = new LongAdder();
  /** Messages that came back as {@code type='error'}. */
  final LongAdder messagesBounced = new LongAdder();
  /** Sends skipped because no other user was online. */
  final LongAdder messagesUnaddressable = new LongAdder();
  final LongAdder requests = new LongAdder();
  final LongAdder connections = new LongAdder();
  /** Errors by kind and condition, e.g. {@code terminate:item-not-found}, {@code http:404}. */
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  final LongAdder errorCount = new LongAdder();

  LoadMetrics() {
    for (Kind kind : Kind.values()) {
      recorders.put(kind, new Recorder(MAX_MICROS, SIGNIFICANT_DIGITS));
      totals.put(kind, newHistogram());
    }
  }

  static Histogram newHistogram() {
    return new Histogram(MAX_MICROS, SIGNIFICANT_DIGITS);
  }

  void record(Kind kind, long nanos) {
    long micros = Math.max(0, Math.min(MAX_MICROS, TimeUnit.NANOSECONDS.toMicros(nanos)));
    recorders.get(kind).recordValue(micros);
  }

  void sessionOnline() {
    int now = online.incrementAndGet();
    peakOnline.accumulateAndGet(now, Math::max);
    logins.increment();
  }

  void sessionOffline() {
    online.decrementAndGet();
  }

  /** The first message seen for each error key, to say what a count means. */
  private final Map<String, String> errorExamples = new ConcurrentHashMap<>();

  /** Counts {@code error} under its binding condition, HTTP status or kind. */
  void error(Throwable error) {
    String key = errorKey(error);
    errorExamples.putIfAbsent(key, describe(error));
    error(key);
  }

  /** An example message for each error key, sorted by key. */
  Map<String, String> errorExamples() {
    return new TreeMap<>(errorExamples);
  }

  private static String describe(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : message;
  }

  void error(String key) {
    errors.computeIfAbsent(key, k -> new LongAdder()).increment();
    errorCount.increment();
  }

  /** {@code terminate:<condition>}, {@code http:<status>}, {@code transport}, ... */
  static String errorKey(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && !(cause instanceof BoshException)) {
      cause = cause.getCause();
    }
    if (cause instanceof BoshException bosh) {
      String kind = switch (bosh.kind()) {
        case TERMINATED -> "terminate";
        case HTTP_STATUS -> "http";
        case TRANSPORT -> "transport";
        case AUTHENTICATION -> "sasl";
        case PROTOCOL -> "protocol";
      };
      return bosh.condition() == null ? kind : kind + ":" + bosh.condition();
    }
    return "other:" + cause.getClass().getSimpleName();
  }

  /** The error counts, sorted by key. */
  Map<String, Long> errors() {
    Map<String, Long> out = new TreeMap<>();
    errors.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /**
   * Reporting thread only. Takes the histograms recorded since the last call, adds them to the
   * totals (and, if {@code steady}, the latencies to the steady ones) and returns them.
   */
  Map<Kind, Histogram> snapshot(boolean steady) {
    Map<Kind, Histogram> interval = new TreeMap<>();
    for (Kind kind : Kind.values()) {
      Histogram h = recorders.get(kind).getIntervalHistogram();
      totals.get(kind).add(h);
      if (steady && kind == Kind.LATENCY) {
        steadyLatency.add(h);
      }
      interval.put(kind, h);
    }
    return interval;
  }

  /** Reporting thread only: everything recorded up to the last {@link #snapshot}. */
  Histogram total(Kind kind) {
    return totals.get(kind);
  }

  Histogram steadyLatency() {
    return steadyLatency;
  }
}
