package dev.bindery.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.server.it.ChildProcess;
import dev.bindery.server.it.FreePorts;
import dev.bindery.server.it.ProsodyServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/haproxy/run-local.sh} as an operator runs it: two nodes and HAProxy with the
 * shipped configuration in front of a real Prosody; two users chat through the {@code BOSH_URL}
 * it prints, and SIGTERM stops every process it started.
 */
class RunLocalIT {

  static final Path SCRIPT = DeployFile.DEPLOY.resolve("haproxy/run-local.sh");
  static final Pattern NODE = Pattern.compile("^NODE (b\\d+) pid=(\\d+) http=(\\d+) admin=(\\d+)",
      Pattern.MULTILINE);
  static final Pattern HAPROXY = Pattern.compile("^HAPROXY pid=(\\d+)", Pattern.MULTILINE);

  static ProsodyServer prosody;

  @BeforeAll
  static void startProsody() throws Exception {
    Assumptions.assumeTrue(ChildProcess.onPath("haproxy") || Files.isExecutable(
        Path.of("/usr/sbin/haproxy")), "HAProxy is not installed");
    Assumptions.assumeTrue(Prosody.installed(), "Prosody is not installed");
    Assumptions.assumeTrue(Files.exists(Path.of("target", "bindery.jar")),
        "bindery.jar is built by mvn package");
    prosody = Prosody.start();
  }

  @AfterAll
  static void stopProsody() throws Exception {
    if (prosody != null) {
      prosody.close();
    }
  }

  @Test
  void bringsUpNodesBehindHaproxyThatCarryAChatAndStopsThemAllOnSigterm() throws Exception {
    int port = FreePorts.pick();
    ChildProcess script = ChildProcess.start("run-local", null, List.of("bash",
        SCRIPT.toString(), "--nodes", "2", "--upstream", "127.0.0.1:" + prosody.c2sPort(),
        "--domain", Prosody.DOMAIN, "--port", Integer.toString(port),
        "--jar", Path.of("target", "bindery.jar").toAbsolutePath().toString(),
        "--", "--drain-grace-period", "2s"));
    List<Long> pids = new ArrayList<>();
    try (BoshChat admin = new BoshChat(boshUrl(script));
        BoshChat myself = new BoshChat(boshUrl(script))) {
      String out = script.outputText();
      Matcher nodes = NODE.matcher(out);
      List<String> names = new ArrayList<>();
      while (nodes.find()) {
        names.add(nodes.group(1));
        pids.add(Long.parseLong(nodes.group(2)));
      }
      assertThat(names).containsExactly("b1", "b2");
      Matcher haproxy = HAPROXY.matcher(out);
      assertThat(haproxy.find()).as(out).isTrue();
      pids.add(Long.parseLong(haproxy.group(1)));

      admin.login("admin", "mypassword1");
      myself.login("myself", "mypassword2");
      admin.message(myself.jid(), "through run-local");
      myself.awaitMessage("through run-local", 20);
      myself.message(admin.jid(), "and back");
      admin.awaitMessage("and back", 20);
      for (BoshChat c : List.of(admin, myself)) {
        assertThat(c.sid()).matches("b[12]\\..+");
        assertThat(c.failures).isEmpty();
      }
    } finally {
      script.terminate();
      assertThat(script.waitFor(60)).as(script.outputText()).isEqualTo(143);
    }
    for (long pid : pids) {
      Optional<ProcessHandle> left = ProcessHandle.of(pid);
      assertThat(left.isPresent() && left.get().isAlive()).as("process " + pid + " left running")
          .isFalse();
    }
  }

  /** The URL from the script's {@code BOSH_URL=} line, once it has printed everything. */
  private static URI boshUrl(ChildProcess script) throws InterruptedException {
    script.awaitOutput("Ctrl-C stops everything.", 120);
    Matcher m = Pattern.compile("^BOSH_URL=(\\S+)$", Pattern.MULTILINE)
        .matcher(script.outputText());
    assertThat(m.find()).isTrue();
    return URI.create(m.group(1));
  }
}
