package dev.bindery.server.ops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Immutable. What a Bindery node holds at one moment, read from outside as an operator would:
 * live sessions of both transports from its {@code /metrics}, the heap in use after a full GC
 * (the node's own JDK's {@code jcmd}), resident memory, open descriptors and threads from
 * {@code /proc}. A fault test reads it before the fault and after recovery, and compares.
 *
 * @param sessions    {@code bosh_sessions_active}, summed over transports
 * @param heapAfterGc bytes of heap in use after {@code GC.run}
 * @param rss         resident set size in bytes
 * @param descriptors open file descriptors
 * @param threads     threads of the process
 */
record NodeVitals(long sessions, long heapAfterGc, long rss, int descriptors, int threads) {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");
  private static final Pattern SESSIONS_ACTIVE =
      Pattern.compile("(?m)^bosh_sessions_active\\{[^}]*} ([0-9.E+-]+)$");
  private static final long JCMD_SECONDS = 60;

  /** Reads {@code node} now; forces a full GC in it. */
  static NodeVitals of(BinderyProcess node) throws IOException, InterruptedException {
    long pid = node.process.pid();
    String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
    int descriptors;
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      descriptors = (int) fds.count();
    }
    return new NodeVitals(sessions(node), heapAfterGc(pid),
        statusField(status, "VmRSS") * 1024, descriptors,
        (int) statusField(status, "Threads"));
  }

  /** Live sessions of both transports, from the node's {@code /metrics}. */
  static long sessions(BinderyProcess node) throws IOException, InterruptedException {
    return (long) metric(node, SESSIONS_ACTIVE);
  }

  /**
   * The sum of the samples {@code pattern} matches on the node's {@code /metrics}, each sample's
   * value its first group.
   */
  static double metric(BinderyProcess node, Pattern pattern)
      throws IOException, InterruptedException {
    String metrics = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + node.adminPort + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = pattern.matcher(metrics);
    double sum = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
    }
    return sum;
  }

  /**
   * Whether this reading is back to {@code baseline}: no session left, and heap, resident
   * memory, descriptors and threads within the given slack of the baseline's.
   */
  boolean backTo(NodeVitals baseline, long heapSlack, long rssSlack, int descriptorSlack,
      int threadSlack) {
    return sessions == 0
        && heapAfterGc <= baseline.heapAfterGc + heapSlack
        && rss <= baseline.rss + rssSlack
        && descriptors <= baseline.descriptors + descriptorSlack
        && threads <= baseline.threads + threadSlack;
  }

  @Override
  public String toString() {
    return String.format("sessions %d, heap after GC %.1f MiB, RSS %.1f MiB, %d descriptors,"
            + " %d threads", sessions, heapAfterGc / 1048576.0, rss / 1048576.0, descriptors,
        threads);
  }

  private static long statusField(String status, String name) {
    for (String line : status.split("\n")) {
      if (line.startsWith(name + ":")) {
        return Long.parseLong(line.substring(name.length() + 1).trim().split("\\s+")[0]);
      }
    }
    throw new IllegalStateException("no " + name + " in /proc/PID/status");
  }

  private static long heapAfterGc(long pid) throws IOException, InterruptedException {
    Path jcmd = Path.of("/proc", Long.toString(pid), "exe").toRealPath().resolveSibling("jcmd");
    jcmd(jcmd, pid, "GC.run");
    // One "total NK, used NK" line per generation (Serial, Parallel) or one for the heap (G1).
    Matcher m = HEAP_USED.matcher(jcmd(jcmd, pid, "GC.heap_info"));
    long usedK = -1;
    while (m.find()) {
      usedK = Math.max(usedK, 0) + Long.parseLong(m.group(1));
    }
    if (usedK < 0) {
      throw new IllegalStateException("no 'total NK, used NK' in GC.heap_info of " + pid);
    }
    return usedK * 1024;
  }

  private static String jcmd(Path jcmd, long pid, String command)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command))
        .redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(JCMD_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("jcmd " + pid + " " + command + " failed: "
          + new String(out, StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
