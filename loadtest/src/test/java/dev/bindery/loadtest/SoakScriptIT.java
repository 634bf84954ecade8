package dev.bindery.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code loadtest/bench/run-soak.sh} as an operator runs it, cut to one minute and 60 users: it
 * starts Prosody (the Debian package) and Bindery (the built {@code bindery.jar}) on free
 * loopback ports, soaks them with the built {@code bindery-loadtest.jar}, and must find the node
 * back to its baseline with nothing lost. The report it writes is then opened in Chromium, as a
 * person would open it, and its screenshot kept in {@code target/soak-it/soak.png}.
 */
class SoakScriptIT {

  private static final Path MODULE = Path.of("").toAbsolutePath();
  private static final Path ROOT = MODULE.getParent();
  private static final Path OUT = MODULE.resolve("target/soak-it");
  private static final Path BROWSER = ROOT.resolve("server/src/test/browser");
  private static final long SCRIPT_MINUTES = 8;

  @Test
  void aShortSoakComesBackToItsBaselineAndItsReportReads() throws Exception {
    Assumptions.assumeTrue(onPath("prosody"), "prosody is not installed (.ci/setup installs it)");
    Assumptions.assumeTrue(Files.isRegularFile(ROOT.resolve("server/target/bindery.jar"))
        && Files.isRegularFile(MODULE.resolve("target/bindery-loadtest.jar")),
        "the jars are built by 'mvn verify' before this test runs");
    deleteTree(OUT);
    Files.createDirectories(OUT);
    ProcessBuilder soak = new ProcessBuilder(ROOT.resolve("loadtest/bench/run-soak.sh").toString(),
        "1").redirectErrorStream(true).redirectOutput(OUT.resolve("run-soak.log").toFile());
    Map<String, String> env = soak.environment();
    env.put("BENCH_SKIP_BUILD", "1");
    env.put("BENCH_OUT", OUT.toString());
    for (String port : List.of("BENCH_C2S_PORT", "BENCH_HTTP_PORT", "BENCH_ADMIN_PORT",
        "BENCH_EJ_C2S_PORT", "BENCH_EJ_DIST_PORT", "BENCH_EJ_HTTP_PORT")) {
      env.put(port, Integer.toString(freePort()));
    }
    env.put("SOAK_SESSIONS", "60");
    env.put("SOAK_CHURN_SESSIONS", "20");
    env.put("SOAK_SAMPLE_EVERY", "10");
    env.put("BENCH_WARMUP", "3");
    env.put("BENCH_IDLE_MAX_SESSIONS", "100");
    env.put("BENCH_IDLE_SESSIONS", "100");
    env.put("BENCH_CHAT_SESSIONS", "100");
    env.put("GEN_JAVA_OPTS", "-Xmx512m");
    Process script = soak.start();
    if (!script.waitFor(SCRIPT_MINUTES, TimeUnit.MINUTES)) {
      script.destroy(); // the script's trap stops what it started
      script.waitFor(30, TimeUnit.SECONDS);
      throw new AssertionError("run-soak.sh still running after " + SCRIPT_MINUTES + " min:\n"
          + log());
    }
    assertThat(script.exitValue()).as(log()).isZero();

    Path run = OUT.resolve("soak-bindery-1");
    JsonNode json = new ObjectMapper().readTree(run.resolve("soak.json").toFile());
    assertThat(json.get("passed").asText()).as(log()).isEqualTo("yes");
    assertThat(json.get("baseline").get("sessions").asLong()).isZero();
    JsonNode samples = json.get("samples");
    assertThat(samples.size()).isGreaterThanOrEqualTo(6);
    long peak = 0;
    for (JsonNode s : samples) {
      assertThat(s.get("node").get("heapBytes").asLong()).isPositive();
      assertThat(s.get("node").get("descriptors").asLong()).isPositive();
      peak = Math.max(peak, s.get("node").get("sessions").asLong());
    }
    assertThat(peak).as("the node counted the chatters and the churners")
        .isGreaterThanOrEqualTo(60);
    assertThat(json.get("chat").get("messages").get("sent").asLong()).isPositive();
    assertThat(json.get("chat").get("messages").get("lost").asLong()).isZero();
    assertThat(json.get("churn").get("sessions").get("logins").asLong()).isGreaterThan(20);
    assertThat(json.get("after").get("sessions").asLong()).isZero();

    String missing = browserMissing();
    Assumptions.assumeTrue(missing == null, missing);
    Process page = new ProcessBuilder("node", BROWSER.resolve("report-page.mjs").toString(),
        "--page", run.resolve("soak.html").toString(), "--out", OUT.resolve("soak.png").toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String seen = new String(page.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(page.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(page.exitValue()).isZero();
    JsonNode shown = new ObjectMapper().readTree(seen);
    assertThat(shown.get("verdict").asText()).isEqualTo("Back to baseline, nothing lost");
    assertThat(shown.get("charts")).extracting(JsonNode::asText).containsExactly(
        "Live sessions", "Heap after full GC (MiB)", "Resident memory (MiB)",
        "Open descriptors", "Threads", "Traffic per minute");
    assertThat(shown.get("drawn").asInt()).as("every chart has a line").isEqualTo(6);
    assertThat(shown.get("width").asInt()).as("nothing wider than the window").isEqualTo(900);
    assertThat(OUT.resolve("soak.png")).isNotEmptyFile();
  }

  private static String log() throws IOException {
    return Files.readString(OUT.resolve("run-soak.log"));
  }

  private static String browserMissing() {
    if (!Files.isExecutable(Path.of("/usr/bin/chromium"))) {
      return "/usr/bin/chromium is not installed (Debian package chromium; .ci/setup installs it)";
    }
    if (!onPath("node")) {
      return "Node.js is not installed (.ci/setup installs it)";
    }
    if (!Files.isDirectory(BROWSER.resolve("node_modules/playwright-core"))) {
      return "playwright-core is not installed in " + BROWSER + " (.ci/setup runs npm ci there)";
    }
    return null;
  }

  private static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    List<Path> all = new ArrayList<>();
    try (var walk = Files.walk(dir)) {
      walk.forEach(all::add);
    }
    for (int i = all.size() - 1; i >= 0; i--) {
      Files.delete(all.get(i));
    }
  }
}
