package dev.bindery.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the soak reads of a node: its Prometheus text and {@code /proc}. */
class NodeProbeTest {

  @Test
  void liveSessionsAreSummedOverTransports() {
    String metrics = """
        # HELP bosh_sessions_active Sessions open now
        # TYPE bosh_sessions_active gauge
        bosh_sessions_active{transport="bosh"} 1017.0
        bosh_sessions_active{transport="websocket"} 3.0
        bosh_sessions_active_limit 10000.0
        bosh_sessions_started_total{transport="bosh"} 5.0
        """;
    assertThat(NodeProbe.parseSessions(metrics)).isEqualTo(1020);
    assertThat(NodeProbe.parseSessions("bosh_sessions_active 0.0\n")).isZero();
    assertThat(NodeProbe.parseSessions("up 1\n")).isEqualTo(-1);
  }

  @Test
  void threadsComeFromProcStatus() {
    assertThat(NodeProbe.parseThreads("Name:\tjava\nVmRSS:\t  1024 kB\nThreads:\t57\n"))
        .isEqualTo(57);
    assertThat(NodeProbe.parseThreads("Name:\tjava\n")).isEqualTo(-1);
  }

  @Test
  void thisJvmReadsAsAliveNode() {
    NodeProbe probe = new NodeProbe(java.net.URI.create("http://127.0.0.1:9/metrics"),
        ProcessHandle.current().pid());
    NodeProbe.Vitals v = probe.read();
    assertThat(v.sessions()).isEqualTo(-1); // nothing listens on the discard port
    assertThat(v.heapBytes()).isPositive();
    assertThat(v.rssBytes()).isPositive();
    assertThat(v.descriptors()).isPositive();
    assertThat(v.threads()).isPositive();
  }
}
