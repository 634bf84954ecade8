package dev.bindery.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The soak's verdict (back to baseline, nothing lost), its drift, and its JSON and HTML. */
class SoakReportTest {

  private static final long MIB = 1 << 20;
  private static final NodeProbe.Vitals BASELINE =
      new NodeProbe.Vitals(0, 20 * MIB, 180 * MIB, 34, 60);

  private static SoakOptions options() {
    return SoakOptions.parse("--bindery-pid", "42", "--sessions", "10", "--duration", "600",
        "--label", "t<1>");
  }

  /** A report whose chat lost nothing (the sample report with its loss made good). */
  private static Report chat(boolean lossless) {
    Report r = ReportTest.sampleReport();
    if (!lossless) {
      return r;
    }
    Report.Messages m = r.messages();
    return new Report(r.label(), r.options(), r.startedAt(), r.transport(), r.sessions(),
        new Report.Messages(m.sent(), m.sent(), 0, 0, 0), r.requests(), r.errors(),
        r.errorExamples(), r.histograms(), r.steady(), r.heap(), r.timeline());
  }

  private static List<SoakReport.Sample> steadySamples(long... heapMib) {
    List<SoakReport.Sample> out = new ArrayList<>();
    for (int i = 0; i < heapMib.length; i++) {
      out.add(new SoakReport.Sample(i, "steady",
          new NodeProbe.Vitals(1020, heapMib[i] * MIB, 280 * MIB, 3074, 58),
          1000L * i, 1000L * i, 1000, 100L * i, 20, 0));
    }
    return out;
  }

  private static SoakReport report(NodeProbe.Vitals last, boolean lossless, long... heapMib) {
    return new SoakReport(options(), Instant.parse("2026-01-01T00:00:00Z"), BASELINE,
        steadySamples(heapMib), last, 0.5, chat(lossless), chat(true));
  }

  @Test
  void aNodeBackWithinTheSlacksPasses() {
    SoakReport r = report(new NodeProbe.Vitals(0, 30 * MIB, 300 * MIB, 40, 70), true,
        30, 31, 30, 32, 31, 30);
    assertThat(r.checks()).allMatch(SoakReport.Check::passed);
    assertThat(r.passed()).isTrue();
  }

  @Test
  void aSessionLeftOrAHeapOrADescriptorOrAThreadTooManyFails() {
    NodeProbe.Vitals[] leaks = {
        new NodeProbe.Vitals(1, 20 * MIB, 180 * MIB, 34, 60),
        new NodeProbe.Vitals(0, 20 * MIB + SoakReport.HEAP_SLACK_BYTES + 1, 180 * MIB, 34, 60),
        new NodeProbe.Vitals(0, 20 * MIB, 180 * MIB, 34 + SoakReport.DESCRIPTOR_SLACK + 1, 60),
        new NodeProbe.Vitals(0, 20 * MIB, 180 * MIB, 34, 60 + SoakReport.THREAD_SLACK + 1),
        new NodeProbe.Vitals(0, -1, 180 * MIB, 34, 60),
    };
    for (NodeProbe.Vitals last : leaks) {
      assertThat(report(last, true, 30, 30, 30).passed()).as("%s", last).isFalse();
    }
  }

  @Test
  void aLostMessageFails() {
    SoakReport r = report(BASELINE, false, 30, 30, 30);
    assertThat(r.checks()).filteredOn(c -> c.what().equals("messages lost"))
        .singleElement().satisfies(c -> {
          assertThat(c.passed()).isFalse();
          assertThat(c.after()).isEqualTo("1 of 6");
        });
    assertThat(r.passed()).isFalse();
  }

  @Test
  void driftIsTheLastThirdsPeakOverTheFirstThirds() {
    assertThat(report(BASELINE, true, 30, 32, 31, 33, 40, 36).heapDrift()).isEqualTo(8 * MIB);
    assertThat(report(BASELINE, true, 30, 31).heapDrift()).isZero();
  }

  @Test
  void jsonHasTheBaselineEverySampleTheChecksAndBothRuns() throws Exception {
    JsonNode json = new ObjectMapper().readTree(SoakReportJson.write(
        report(new NodeProbe.Vitals(0, 21 * MIB, 190 * MIB, 35, 61), true, 30, 30, 30)));
    assertThat(json.get("schema").asText()).isEqualTo("bindery-soak/1");
    assertThat(json.get("config").get("durationSeconds").asDouble()).isEqualTo(600);
    assertThat(json.get("baseline").get("heapBytes").asLong()).isEqualTo(20 * MIB);
    assertThat(json.get("samples")).hasSize(3);
    assertThat(json.get("samples").get(2).get("node").get("descriptors").asLong())
        .isEqualTo(3074);
    assertThat(json.get("after").get("threads").asLong()).isEqualTo(61);
    assertThat(json.get("checks")).hasSize(5);
    assertThat(json.get("passed").asText()).isEqualTo("yes");
    assertThat(json.get("chat").get("schema").asText()).isEqualTo("bindery-loadtest/1");
    assertThat(json.get("churn").get("messages").get("lost").asLong()).isZero();
  }

  @Test
  void htmlSaysTheVerdictAndPlotsEachQuantity() {
    String html = SoakReportHtml.write(report(new NodeProbe.Vitals(3, 20 * MIB, 190 * MIB, 35,
        61), true, 30, 30, 30));
    assertThat(html).contains("<title>Bindery soak: t&lt;1&gt;</title>")
        .contains("id='verdict' class='bad'>Not back to baseline")
        .contains("<td>live sessions</td><td>0</td><td>3</td>")
        .contains("minutes since start")
        .contains("heap after GC changed by +0.0 MiB")
        .doesNotContain("<script");
    assertThat(ReportHtml.chartTitles(html)).containsOnlyKeys("Live sessions",
        "Heap after full GC (MiB)", "Resident memory (MiB)", "Open descriptors", "Threads",
        "Traffic per minute");
  }
}
