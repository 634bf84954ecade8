package dev.bindery.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bindery.client.BoshClientConfig;
import dev.bindery.client.BoshException;
import dev.bindery.client.RequestBody;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON result's layout (schema 1) and the HTML report, from a small synthetic run. */
class ReportTest {

  static Report sampleReport(String... moreOptions) {
    List<String> args = new ArrayList<>(List.of("--sessions", "3", "--label", "t<1>"));
    args.addAll(List.of(moreOptions));
    LoadOptions options = LoadOptions.parse(args.toArray(String[]::new));
    LoadMetrics m = new LoadMetrics();
    List<Report.Tick> ticks = new ArrayList<>();
    for (int second = 1; second <= 3; second++) {
      m.sessionsStarted.increment();
      m.sessionOnline();
      m.messagesSent.add(2);
      m.messagesDelivered.add(second == 3 ? 1 : 2);
      m.record(LoadMetrics.Kind.SETUP, 4_000_000);
      m.record(LoadMetrics.Kind.LATENCY, 1_500_000L * second);
      m.requests.add(10);
      ticks.add(Report.Tick.of(second, "steady", m, m.snapshot(true),
          Map.of("bindery", 12.5), Map.of("bindery", 1L << 20),
          ticks.isEmpty() ? null : ticks.get(ticks.size() - 1)));
    }
    m.error(new BoshException(BoshException.Kind.TERMINATED, "item-not-found", "gone"));
    m.error(new BoshException(BoshException.Kind.HTTP_STATUS, "404", "404"));
    Report.Steady steady = new Report.Steady(2.0, 4, 3, 0, 3, Map.of("bindery", 0.03),
        Map.of("bindery", 1L << 20));
    return Report.of(options, Instant.parse("2025-01-01T00:00:00Z"), "netty-nio", m, ticks,
        steady, Map.of("bindery", 1_000_000L), Map.of("bindery", 1_030_000L), 3, 0);
  }

  @Test
  void jsonHasEverySectionAndReportsLostMessages() throws Exception {
    JsonNode json = new ObjectMapper().readTree(ReportJson.write(sampleReport()));
    assertThat(json.get("schema").asText()).isEqualTo("bindery-loadtest/1");
    assertThat(json.get("label").asText()).isEqualTo("t<1>");
    assertThat(json.get("config").get("scenario").asText()).isEqualTo("chat");
    assertThat(json.get("config").get("hold").asInt()).isEqualTo(1);
    assertThat(json.get("http").asText()).isEqualTo("1.1");
    assertThat(json.get("config").get("h2Connections").asInt()).isEqualTo(-1);
    assertThat(json.get("sessions").get("peakOnline").asInt()).isEqualTo(3);
    assertThat(json.get("messages").get("sent").asLong()).isEqualTo(6);
    assertThat(json.get("messages").get("delivered").asLong()).isEqualTo(5);
    assertThat(json.get("messages").get("lost").asLong()).isEqualTo(1);
    assertThat(json.get("errors").get("terminate:item-not-found").asLong()).isEqualTo(1);
    assertThat(json.get("errors").get("http:404").asLong()).isEqualTo(1);
    assertThat(json.get("errorExamples").get("terminate:item-not-found").asText())
        .isEqualTo("gone");
    JsonNode latency = json.get("histogramsMs").get("latency");
    assertThat(latency.get("count").asLong()).isEqualTo(3);
    assertThat(latency.get("p50").asDouble()).isBetween(2.99, 3.01);
    assertThat(latency.get("max").asDouble()).isBetween(4.49, 4.51);
    assertThat(json.get("histogramsMs").get("latencySteady").get("count").asLong()).isEqualTo(3);
    assertThat(json.get("steady").get("cpuMsPerMessage").get("bindery").asDouble())
        .isEqualTo(10.0);
    assertThat(json.get("heap").get("bindery").get("perSessionBytes").asLong())
        .isEqualTo(10_000);
    JsonNode timeline = json.get("timeline");
    assertThat(timeline).hasSize(3);
    assertThat(timeline.get(2).get("sent").asLong()).isEqualTo(2);
    assertThat(timeline.get(2).get("delivered").asLong()).isEqualTo(1);
    assertThat(timeline.get(2).get("requests").asLong()).isEqualTo(10);
    assertThat(timeline.get(0).get("cpuPercent").get("bindery").asDouble()).isEqualTo(12.5);
  }

  @Test
  void anHttp2RunSaysSoWithItsSharedConnections() throws Exception {
    Report report = sampleReport("--http", "2", "--h2-connections", "8");

    JsonNode json = new ObjectMapper().readTree(ReportJson.write(report));
    assertThat(json.get("http").asText()).isEqualTo("2");
    assertThat(json.get("config").get("http").asText()).isEqualTo("2");
    assertThat(json.get("config").get("h2Connections").asInt()).isEqualTo(8);
    assertThat(ReportHtml.write(report)).contains("over HTTP/2 (h2c, 8 shared connections)");
    assertThat(Summary.of(report)).contains("HTTP/2 (h2c, 8 shared connections): ");
  }

  @Test
  void jsonNumbersAreValid() {
    assertThat(ReportJson.Json.number(30.0)).isEqualTo("30");
    assertThat(ReportJson.Json.number(0.5)).isEqualTo("0.5");
    assertThat(ReportJson.Json.number(2.10004)).isEqualTo("2.1");
    assertThat(ReportJson.Json.number(Double.NaN)).isEqualTo("-1");
  }

  @Test
  void htmlIsSelfContainedWithThePlots() {
    String html = ReportHtml.write(sampleReport());
    assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    assertThat(html).doesNotContain("<script").doesNotContain("http://cdn")
        .doesNotContain("<link");
    assertThat(html).contains("t&lt;1&gt;").contains("class='bad'>1</span>");
    assertThat(ReportHtml.chartTitles(html)).containsOnlyKeys(
        "Message delivery latency per second (ms)", "Sessions online", "Throughput per second",
        "Session setup time per second (ms)", "CPU, % of one core", "Resident memory (MB)");
  }

  @Test
  void axesEndOnRoundNumbers() {
    assertThat(ReportHtml.niceCeiling(0)).isEqualTo(1);
    assertThat(ReportHtml.niceCeiling(3.2)).isEqualTo(5);
    assertThat(ReportHtml.niceCeiling(2000)).isEqualTo(2000);
    assertThat(ReportHtml.niceCeiling(2001)).isEqualTo(2500);
    assertThat(ReportHtml.niceCeiling(0.07))
        .isEqualTo(0.1, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void errorKeysUseTheBindingConditionOrStatus() {
    assertThat(LoadMetrics.errorKey(new java.util.concurrent.CompletionException(
        new BoshException(BoshException.Kind.TERMINATED, "host-unknown", "x"))))
        .isEqualTo("terminate:host-unknown");
    assertThat(LoadMetrics.errorKey(
        new BoshException(BoshException.Kind.TRANSPORT, null, "refused")))
        .isEqualTo("transport");
    assertThat(LoadMetrics.errorKey(new IllegalStateException("x")))
        .isEqualTo("other:IllegalStateException");
  }

  @Test
  void onlyEmptyRequestsCountAsPolls() {
    assertThat(LoadRun.isEmptyPoll(RequestBody.payloads(5, "s", "").toXml())).isTrue();
    assertThat(LoadRun.isEmptyPoll(RequestBody.payloads(5, "s", "<presence/>").toXml()))
        .isFalse();
    assertThat(LoadRun.isEmptyPoll(RequestBody.terminate(5, "s", "").toXml())).isFalse();
    BoshClientConfig config = BoshClientConfig.of("localhost", "u", "p");
    assertThat(LoadRun.isEmptyPoll(RequestBody.restart(5, "s", config).toXml())).isFalse();
    assertThat(LoadRun.isEmptyPoll(RequestBody.sessionCreation(5, config).toXml())).isFalse();
  }
}
