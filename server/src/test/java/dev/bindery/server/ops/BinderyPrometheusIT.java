package dev.bindery.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.server.Bindery;
import dev.bindery.server.ScriptedXmppServer;
import dev.bindery.server.config.ServerConfig;
import dev.bindery.server.it.ChildProcess;
import dev.bindery.server.it.FreePorts;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * deploy/monitoring/ against a live Bindery: promtool lints its /metrics and the alert rules,
 * a real Prometheus scrapes it with the shipped scrape config, and every metric the alerts and
 * the Grafana dashboard use exists.
 */
class BinderyPrometheusIT {

  static ScriptedXmppServer xmpp;
  static Bindery bindery;
  static TempDir dir;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(ChildProcess.onPath("promtool") && ChildProcess.onPath("prometheus"),
        "Prometheus is not installed");
    dir = new TempDir("bindery-prometheus-it-");
    xmpp = new ScriptedXmppServer();
    bindery = Bindery.start(ServerConfig.builder().port(0)
        .upstream("127.0.0.1", xmpp.port()).build());
    // one live session, so the session meters have values
    HTTP.send(HttpRequest.newBuilder(bindery.endpoint()).POST(HttpRequest.BodyPublishers.ofString(
        "<body rid='1' to='localhost' wait='30' hold='1' ver='1.11' xmlns:xmpp='urn:xmpp:xbosh'"
            + " xmpp:version='1.0' " + BoshChat.NS + "/>")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @AfterAll
  static void stop() throws Exception {
    if (bindery != null) {
      bindery.close();
    }
    if (xmpp != null) {
      xmpp.close();
    }
    if (dir != null) {
      dir.close();
    }
  }

  @Test
  void promtoolFindsNoProblemInTheLiveMetrics() throws Exception {
    Path scrape = dir.resolve("metrics.txt");
    Files.writeString(scrape, metrics());
    ChildProcess check = ChildProcess.start("promtool", dir.path,
        List.of("sh", "-c", "promtool check metrics < " + scrape));
    assertThat(check.waitFor(30)).as(check.outputText()).isZero();
  }

  @Test
  void promtoolAcceptsTheAlertRulesAndTheirUnitTests() throws Exception {
    Path monitoring = DeployFile.DEPLOY.resolve("monitoring");
    ChildProcess rules = ChildProcess.start("promtool", monitoring,
        List.of("promtool", "check", "rules", "alerts.yml"));
    assertThat(rules.waitFor(30)).as(rules.outputText()).isZero();
    ChildProcess tests = ChildProcess.start("promtool", monitoring,
        List.of("promtool", "test", "rules", "alerts-test.yml"));
    assertThat(tests.waitFor(30)).as(tests.outputText()).isZero();
  }

  @Test
  void everyMetricTheAlertsAndTheDashboardUseExists() throws Exception {
    String live = metrics();
    Set<String> used = new TreeSet<>();
    for (String expr : expressions(DeployFile.DEPLOY.resolve("monitoring/alerts.yml"))) {
      used.addAll(metricNames(expr));
    }
    for (String expr : expressions(DeployFile.DEPLOY.resolve("monitoring/grafana-dashboard.json"))) {
      used.addAll(metricNames(expr));
    }
    assertThat(used).contains("bosh_sessions_active", "bosh_upstream_connect_failures_total");
    for (String name : used) {
      if (name.equals("up") || name.equals("bosh_upstream_connect_failures_total")
          || name.equals("bosh_sessions_refused_total")
          || name.equals("bosh_sessions_ended_total")) {
        continue; // Prometheus's own, and counters whose tag values appear with their first event
      }
      assertThat(live).as(name).containsPattern("(?m)^" + name + "[{ ]");
    }
  }

  @Test
  void aRealPrometheusScrapesBinderyWithTheShippedConfig() throws Exception {
    Path monitoring = dir.resolve("monitoring");
    DeployFile.read("monitoring/alerts.yml").writeTo(monitoring.resolve("alerts.yml"));
    Path config = DeployFile.read("monitoring/prometheus.yml")
        .replace("scrape_interval: 15s", "scrape_interval: 1s")
        .replace("127.0.0.1:9280", "127.0.0.1:" + bindery.adminPort())
        .writeTo(monitoring.resolve("prometheus.yml"));
    ChildProcess check = ChildProcess.start("promtool", monitoring,
        List.of("promtool", "check", "config", config.toString()));
    assertThat(check.waitFor(30)).as(check.outputText()).isZero();
    int port = FreePorts.pick();
    try (ChildProcess prometheus = ChildProcess.start("prometheus", monitoring, List.of(
        "prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
        "--web.listen-address=127.0.0.1:" + port, "--log.level=warn"))) {
      prometheus.awaitPort(port);
      URI query = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
          + URLEncoder.encode("bosh_sessions_active{job=\"bindery\"}", StandardCharsets.UTF_8));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      String answer = "";
      while (System.nanoTime() < deadline) {
        answer = HTTP.send(HttpRequest.newBuilder(query).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        if (answer.contains("\"bosh_sessions_active\"")) {
          break;
        }
        Thread.sleep(250); // polling Prometheus until its first scrape lands
      }
      assertThat(answer).as(prometheus.outputText()).contains("\"status\":\"success\"")
          .contains("\"__name__\":\"bosh_sessions_active\"").contains("\"service\":\"bindery\"")
          .containsPattern("\"value\":\\[[0-9.]+,\"1\"\\]");
    }
  }

  private static String metrics() throws Exception {
    return HTTP.send(HttpRequest.newBuilder(bindery.adminEndpoint().resolve("/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** Every {@code expr} value in a YAML or JSON file (JSON is YAML 1.2). */
  private static List<String> expressions(Path file) throws Exception {
    Object root = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
    List<String> out = new ArrayList<>();
    collect(root, out);
    return out;
  }

  private static void collect(Object node, List<String> out) {
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> {
        if ("expr".equals(k) && v instanceof String s) {
          out.add(s);
        } else {
          collect(v, out);
        }
      });
    } else if (node instanceof List<?> list) {
      list.forEach(n -> collect(n, out));
    }
  }

  private static Set<String> metricNames(String expr) {
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("\\b((?:bosh|jvm|jetty|process|netty)_[a-z_]+|up)\\b")
        .matcher(expr.replaceAll("\\{[^}]*}", "{}"));
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
