package dev.bindery.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessMonitorTest {

  @Test
  void cpuTimeIsUserPlusSystemTicks() {
    String stat = "1234 (java (x) y) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 40 0";
    assertThat(ProcessMonitor.parseCpuNanos(stat)).isEqualTo(3_000_000_000L);
  }

  @Test
  void rssComesFromVmRss() {
    String status = "Name:\tjava\nVmPeak:\t 999 kB\nVmRSS:\t  2048 kB\nThreads:\t9\n";
    assertThat(ProcessMonitor.parseRssBytes(status)).isEqualTo(2048 * 1024);
    assertThat(ProcessMonitor.parseRssBytes("Name:\tkthread\n")).isEqualTo(-1);
  }

  @Test
  void heapUsedIsReadFromG1AndZgc() {
    assertThat(ProcessMonitor.parseHeapUsed("12345:\n garbage-first heap   total 262144K, "
        + "used 10240K [0x0000000700000000, 0x0000000800000000)\n")).isEqualTo(10240L << 10);
    assertThat(ProcessMonitor.parseHeapUsed(
        " ZHeap           used 24M, capacity 100M, max capacity 6144M\n")).isEqualTo(24L << 20);
    assertThat(ProcessMonitor.parseHeapUsed("Could not attach")).isEqualTo(-1);
  }

  @Test
  void machineBusyTimeLeavesOutIdleAndIowait() {
    String stat = "cpu  100 5 50 9000 300 1 2 7 0 0\ncpu0 50 2 25 4500 150 0 1 3 0 0\n";
    assertThat(ProcessMonitor.parseMachineBusyNanos(stat)).isEqualTo(165 * 10_000_000L);
    assertThat(ProcessMonitor.parseMemoryUsedBytes(
        "MemTotal:       1000 kB\nMemFree:   10 kB\nMemAvailable:    400 kB\n"))
        .isEqualTo(600 * 1024);
  }

  @Test
  void samplesIncludeTheMachine() {
    ProcessMonitor monitor = new ProcessMonitor(java.util.Map.of());
    assertThat(monitor.sample()).containsOnlyKeys(ProcessMonitor.MACHINE);
    assertThat(monitor.sample().get(ProcessMonitor.MACHINE).cpuNanos()).isPositive();
  }

  @Test
  void readsThisProcess() {
    ProcessMonitor.Sample sample = ProcessMonitor.read(ProcessHandle.current().pid());
    assertThat(sample.cpuNanos()).isPositive();
    assertThat(sample.rssBytes()).isPositive();
    assertThat(ProcessMonitor.read(Long.MAX_VALUE)).isEqualTo(ProcessMonitor.Sample.NONE);
  }
}
