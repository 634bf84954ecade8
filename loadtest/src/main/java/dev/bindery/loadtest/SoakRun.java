package dev.bindery.loadtest;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Thread-safe: the calling thread runs the phases, one thread each runs the chat and the churn
 * ({@link LoadRun}s of their own), and a sampling thread reads the node. One soak:
 *
 * <pre>
 *   WARM-UP --> BASELINE --> chat RAMP --all online--> chat + churn for --duration
 *           --> both log out --> SETTLE (node's live sessions reach 0, its threads come back
 *               within the slack or --settle passes, then a quiet pause)
 *           --> FINAL sample, compared with the baseline
 * </pre>
 */
final class SoakRun {

  /** After the node ended every session: time for idle pool threads and sockets to go. */
  static final Duration QUIET = Duration.ofSeconds(15);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration THREAD_POLL = Duration.ofSeconds(2);

  private final SoakOptions options;
  private final PrintStream err;
  private final NodeProbe probe;
  private final LoadRun chat;
  private final LoadRun churn;
  private final List<SoakReport.Sample> samples = new ArrayList<>();
  private final CountDownLatch stop = new CountDownLatch(1);
  private long startNanos;

  SoakRun(SoakOptions options, PrintStream err) {
    this.options = options;
    this.err = err;
    this.probe = new NodeProbe(options.metricsUrl(), options.binderyPid());
    this.chat = new LoadRun(options.chat(), err);
    // one progress line is enough: the chat's
    this.churn = new LoadRun(options.churn(), new PrintStream(OutputStream.nullOutputStream()));
  }

  /** Asks a running soak to skip to logging out (e.g. on Ctrl-C). */
  void requestStop() {
    stop.countDown();
    chat.requestStop();
    churn.requestStop();
  }

  SoakReport run() throws InterruptedException {
    chat.warmUp();
    awaitNoSessions(options.settle());
    NodeProbe.Vitals baseline = probe.read();
    err.printf("[%s] baseline: %s%n", options.label(), baseline);
    Instant startedAt = Instant.now();
    startNanos = System.nanoTime();
    ExecutorService runs = Executors.newFixedThreadPool(2, new DefaultThreadFactory("soak-run"));
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(
        new DefaultThreadFactory("soak-sample", true));
    try {
      Future<Report> chatReport = runs.submit(chat::run);
      sampler.scheduleAtFixedRate(this::sample, 0, options.sampleEvery().toMillis(),
          TimeUnit.MILLISECONDS);
      while (chat.phase() == LoadRun.Phase.RAMP && !chatReport.isDone()
          && stop.getCount() > 0) {
        Thread.sleep(POLL.toMillis()); // the run's own phase, read across threads
      }
      Future<Report> churnReport = runs.submit(churn::run);
      Report chatDone = chatReport.get();
      Report churnDone = churnReport.get();
      sampler.shutdown();
      sampler.awaitTermination(2, TimeUnit.MINUTES);
      sample();
      long settleStart = System.nanoTime();
      boolean settled = awaitNoSessions(options.settle());
      double settleSeconds = (System.nanoTime() - settleStart) / 1e9;
      // the logout burst grew the HTTP pool: its idle threads go over the pool's idle timeout
      awaitThreads(baseline.threads() + SoakReport.THREAD_SLACK,
          settleStart + options.settle().toNanos());
      Thread.sleep(QUIET.toMillis());
      NodeProbe.Vitals last = probe.read();
      err.printf("[%s] after the run: %s (settled in %.1f s)%n", options.label(), last,
          settleSeconds);
      return new SoakReport(options, startedAt, baseline, List.copyOf(samples), last,
          settled ? settleSeconds : -1, chatDone, churnDone);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a run failed", e.getCause());
    } finally {
      sampler.shutdownNow();
      runs.shutdownNow();
    }
  }

  /** Sampling thread (and the caller, once at the end): one point of the timeline. */
  private synchronized void sample() {
    double minutes = (System.nanoTime() - startNanos) / 60e9;
    NodeProbe.Vitals v = probe.read();
    LoadRun.Progress c = chat.progress();
    LoadRun.Progress ch = churn.progress();
    SoakReport.Sample s = new SoakReport.Sample(minutes, chat.phase().name().toLowerCase(), v,
        c.sent(), c.delivered(), c.online(), ch.logins(), ch.online(), c.failed() + ch.failed());
    samples.add(s);
    err.printf("[%s] %5.1f min  %s | chat %d/%d delivered, %d online | churn %d logins%n",
        options.label(), minutes, v, c.delivered(), c.sent(), c.online(), ch.logins());
  }

  /** Waits until the node has at most {@code threads} threads, or until {@code deadline}. */
  private void awaitThreads(long threads, long deadline) throws InterruptedException {
    while (probe.threads() > threads && System.nanoTime() < deadline) {
      Thread.sleep(THREAD_POLL.toMillis()); // the pool evicts on its own schedule
    }
  }

  /** Waits until the node reports no live session; false if it still has some at the end. */
  private boolean awaitNoSessions(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (probe.sessions() != 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(POLL.toMillis()); // polling another process's metrics
    }
    return true;
  }
}
