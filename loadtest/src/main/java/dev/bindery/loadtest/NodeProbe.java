package dev.bindery.loadtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Thread-safe: stateless but for its HTTP client. Reads a Bindery node from outside, as its
 * operator would: live sessions of both transports from its {@code /metrics}, and, from the
 * operating system, its heap after a full GC ({@code jcmd}), resident memory, open descriptors
 * and threads. A value that cannot be read is -1.
 */
final class NodeProbe {

  /**
   * The node at one moment.
   *
   * @param sessions    {@code bosh_sessions_active}, summed over the transports
   * @param heapBytes   heap in use after a full GC
   * @param rssBytes    resident set size
   * @param descriptors open file descriptors
   * @param threads     threads
   */
  record Vitals(long sessions, long heapBytes, long rssBytes, long descriptors, long threads) {

    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "sessions %d, heap after GC %.1f MiB, RSS %.1f"
          + " MiB, %d descriptors, %d threads", sessions, heapBytes / 1048576.0,
          rssBytes / 1048576.0, descriptors, threads);
    }
  }

  private static final Pattern SESSIONS_ACTIVE =
      Pattern.compile("(?m)^bosh_sessions_active(?:\\{[^}]*})? ([0-9.E+-]+)$");
  private static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(10);

  private final URI metrics;
  private final long pid;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(SCRAPE_TIMEOUT).build();

  NodeProbe(URI metrics, long pid) {
    this.metrics = metrics;
    this.pid = pid;
  }

  /** Reads the node now; forces a full GC in it. */
  Vitals read() {
    long sessions = sessions();
    long heap = ProcessMonitor.heapUsedAfterGc(pid);
    Path proc = Path.of("/proc", Long.toString(pid));
    long rss = -1;
    long threads = -1;
    long descriptors = -1;
    try {
      String status = Files.readString(proc.resolve("status"));
      rss = ProcessMonitor.parseRssBytes(status);
      threads = parseThreads(status);
      try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
        descriptors = fds.count();
      }
    } catch (IOException | RuntimeException e) {
      // gone, or not ours to read: -1 says so
    }
    return new Vitals(sessions, heap, rss, descriptors, threads);
  }

  /** The node's threads now, from {@code /proc}; -1 if they cannot be read. */
  long threads() {
    try {
      return parseThreads(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Live sessions from the node's {@code /metrics}; -1 if it does not answer. */
  long sessions() {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(metrics)
          .timeout(SCRAPE_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? parseSessions(response.body()) : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The sum of every {@code bosh_sessions_active} sample of a Prometheus text; -1 if none. */
  static long parseSessions(String exposition) {
    Matcher m = SESSIONS_ACTIVE.matcher(exposition);
    long sum = -1;
    while (m.find()) {
      sum = Math.max(sum, 0) + Math.round(Double.parseDouble(m.group(1)));
    }
    return sum;
  }

  /** {@code Threads} of a {@code /proc/PID/status} text; -1 if absent. */
  static long parseThreads(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("Threads:")) {
        return Long.parseLong(line.substring(8).trim());
      }
    }
    return -1;
  }
}
