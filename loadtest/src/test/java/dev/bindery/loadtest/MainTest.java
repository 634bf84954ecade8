package dev.bindery.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {

  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void helpPrintsUsageAndSucceeds() throws Exception {
    assertThat(run("--help")).isEqualTo(0);
    assertThat(text(out)).contains("usage:", "demo", "run ", "soak ");
  }

  @Test
  void runHelpListsTheScenarios() throws Exception {
    assertThat(run("run", "--help")).isEqualTo(0);
    assertThat(text(out)).contains("--scenario=S", "chat, idle or login-storm", "--json=FILE",
        "user names, %d = 0, 1, 2");
  }

  @Test
  void runWithABadOptionFailsWithUsage() throws Exception {
    assertThat(run("run", "--sessions", "-1")).isEqualTo(2);
    assertThat(text(err)).contains("--sessions: -1", "Usage: java -jar bindery-loadtest.jar run");
  }

  @Test
  void noCommandIsAUsageError() throws Exception {
    assertThat(run()).isEqualTo(2);
    assertThat(text(err)).contains("usage:");
  }

  @Test
  void anUnknownCommandIsNamed() throws Exception {
    assertThat(run("flood")).isEqualTo(2);
    assertThat(text(err)).startsWith("unknown command: flood");
  }

  @Test
  void completionCoversEveryCommandsFlags() throws Exception {
    assertThat(run("generate-completion")).isEqualTo(0);
    assertThat(text(out)).contains("complete -F", "--scenario", "--monitor-jvm", "--interval",
        "--churn-rate");
  }

  @Test
  void soakWithoutTheNodesPidIsAUsageError() throws Exception {
    assertThat(run("soak", "--sessions", "10")).isEqualTo(2);
    assertThat(text(err)).contains("--bindery-pid: missing",
        "Usage: java -jar bindery-loadtest.jar soak");
  }

  @Test
  void demoHelpListsTheFlags() throws Exception {
    assertThat(run("demo", "--help")).isEqualTo(0);
    assertThat(text(out)).contains("--url", "--domain", "--user1", "--password2");
  }

  @Test
  void aBadDemoFlagIsAUsageError() throws Exception {
    assertThat(run("demo", "--rounds", "-1")).isEqualTo(2);
    assertThat(text(err)).startsWith("invalid rounds: -1");
  }

  private int run(String... args) throws Exception {
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static String text(ByteArrayOutputStream stream) {
    return stream.toString(StandardCharsets.UTF_8);
  }
}
