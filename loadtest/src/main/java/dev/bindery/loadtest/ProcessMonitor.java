package dev.bindery.loadtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Confined to the reporting thread. Samples other processes from the operating system: CPU time
 * (user + system, from {@code /proc/PID/stat}) and resident memory ({@code VmRSS} of
 * {@code /proc/PID/status}); and, for JVMs, the heap in use after a full GC, through the
 * target JDK's own {@code jcmd}.
 */
final class ProcessMonitor {

  /** Clock ticks per second of {@code /proc/PID/stat} times; 100 on every Linux we know. */
  static final long CLOCK_TICKS = 100;
  static final long JCMD_TIMEOUT_SECONDS = 60;
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)([KMG])");

  /** One reading: cumulative CPU time and current resident set size. */
  record Sample(long cpuNanos, long rssBytes) {
    static final Sample NONE = new Sample(-1, -1);
  }

  private final Map<String, Long> pids;

  ProcessMonitor(Map<String, Long> pids) {
    this.pids = new LinkedHashMap<>(pids);
  }

  Map<String, Long> pids() {
    return pids;
  }

  /**
   * The name under which {@link #sample()} reports the whole machine: CPU time of all cores
   * (so up to 100 % per core) and memory in use. What it shows beyond the monitored processes is
   * load from elsewhere, which makes a benchmark on a shared machine worthless.
   */
  static final String MACHINE = "machine";

  /**
   * Reads every monitored process and the whole machine ({@link #MACHINE}); a process that is
   * gone reads as {@link Sample#NONE}.
   */
  Map<String, Sample> sample() {
    Map<String, Sample> out = new LinkedHashMap<>();
    pids.forEach((name, pid) -> out.put(name, read(pid)));
    out.put(MACHINE, readMachine());
    return out;
  }

  static Sample readMachine() {
    try {
      String stat = Files.readString(Path.of("/proc/stat"));
      String meminfo = Files.readString(Path.of("/proc/meminfo"));
      return new Sample(parseMachineBusyNanos(stat), parseMemoryUsedBytes(meminfo));
    } catch (IOException | RuntimeException e) {
      return Sample.NONE;
    }
  }

  /** All cores' busy time (everything but idle and iowait) from the {@code cpu} line. */
  static long parseMachineBusyNanos(String procStat) {
    String line = procStat.substring(0, procStat.indexOf('\n'));
    String[] f = line.trim().split("\\s+");
    long busy = 0;
    for (int i = 1; i < f.length && i <= 8; i++) {
      if (i != 4 && i != 5) {
        busy += Long.parseLong(f[i]);
      }
    }
    return busy * (TimeUnit.SECONDS.toNanos(1) / CLOCK_TICKS);
  }

  /** MemTotal - MemAvailable of {@code /proc/meminfo}, in bytes. */
  static long parseMemoryUsedBytes(String meminfo) {
    long total = -1;
    long available = -1;
    for (String line : meminfo.split("\n")) {
      String[] parts = line.split("\\s+");
      if (line.startsWith("MemTotal:")) {
        total = Long.parseLong(parts[1]) * 1024;
      } else if (line.startsWith("MemAvailable:")) {
        available = Long.parseLong(parts[1]) * 1024;
      }
    }
    return total < 0 || available < 0 ? -1 : total - available;
  }

  static Sample read(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
      return new Sample(parseCpuNanos(stat), parseRssBytes(status));
    } catch (IOException | RuntimeException e) {
      return Sample.NONE;
    }
  }

  /** utime + stime (fields 14 and 15) of a {@code /proc/PID/stat} line, in nanoseconds. */
  static long parseCpuNanos(String stat) {
    // The command name (field 2) is in parentheses and may hold spaces.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks * (TimeUnit.SECONDS.toNanos(1) / CLOCK_TICKS);
  }

  /** {@code VmRSS} of a {@code /proc/PID/status} text, in bytes; -1 if absent. */
  static long parseRssBytes(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        String[] parts = line.substring(6).trim().split("\\s+");
        return Long.parseLong(parts[0]) * 1024;
      }
    }
    return -1;
  }

  /**
   * Runs a full GC in JVM {@code pid}, then returns its used heap in bytes, or -1 if it cannot
   * be read. Uses the {@code jcmd} next to that JVM's own {@code java}.
   */
  static long heapUsedAfterGc(long pid) {
    try {
      Path java = Path.of("/proc", Long.toString(pid), "exe").toRealPath();
      Path jcmd = java.resolveSibling("jcmd");
      if (!Files.isExecutable(jcmd)) {
        jcmd = Path.of("jcmd");
      }
      jcmd(jcmd, pid, "GC.run");
      return parseHeapUsed(jcmd(jcmd, pid, "GC.heap_info"));
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The first "used N[KMG]" of {@code GC.heap_info} (G1, Parallel, ZGC), in bytes. */
  static long parseHeapUsed(String heapInfo) {
    Matcher m = HEAP_USED.matcher(heapInfo);
    if (!m.find()) {
      return -1;
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "K" -> n << 10;
      case "M" -> n << 20;
      default -> n << 30;
    };
  }

  private static String jcmd(Path jcmd, long pid, String command)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid), command));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(JCMD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("jcmd timed out");
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
