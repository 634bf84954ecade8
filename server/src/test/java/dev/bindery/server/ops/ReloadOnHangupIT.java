package dev.bindery.server.ops;

import static dev.bindery.server.BoshHttpClient.NS;
import static dev.bindery.server.BoshHttpClient.XBOSH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.server.BoshHttpClient.Reply;
import dev.bindery.server.BoshHttpClient;
import dev.bindery.server.ScriptedXmppServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The executable reloads its config file on SIGHUP, as {@code systemctl reload} sends it
 * ({@code ExecReload} in deploy/systemd/bindery.service): Bindery runs as its own JVM, and the
 * signal goes to its PID.
 */
class ReloadOnHangupIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private TempDir dir;
  private Path config;
  private ScriptedXmppServer xmpp;
  private BinderyProcess node;
  private BoshHttpClient client;

  @BeforeEach
  void start() throws Exception {
    dir = new TempDir("bindery-hangup-it-");
    config = Files.writeString(dir.resolve("bindery.yml"), "domains: [localhost, chat.test]\n");
    xmpp = new ScriptedXmppServer();
    node = BinderyProcess.start("bindery", "--config", config.toString(),
        "--upstream", "127.0.0.1:" + xmpp.port());
    client = new BoshHttpClient(node.endpoint());
  }

  @AfterEach
  void stop() throws Exception {
    try {
      node.close();
      xmpp.close();
    } finally {
      dir.close();
    }
  }

  @Test
  void hangupReloadsTheFileEndsSessionsOfRetiredDomainsAndKeepsRunning() throws Exception {
    Body created = client.post("<body rid='1000' to='localhost' wait='60' hold='1' ver='1.11'"
        + " xmpp:version='1.0' " + NS + " " + XBOSH + "/>").body();
    String sid = created.sid().orElseThrow(() -> new AssertionError("no session: " + created));
    CompletableFuture<Reply> held = client.postAsync("<body rid='1001' sid='" + sid + "' " + NS
        + "/>");
    awaitMetric("bosh_requests_held 1.0");

    Files.writeString(config, "domains: [chat.test]\n");
    node.process.hangUp();

    Body ended = held.get(30, TimeUnit.SECONDS).body();
    assertThat(ended.condition()).contains(BindingCondition.HOST_GONE);
    node.process.awaitOutput("configuration reloaded: domains added [], retired [localhost]", 10);
    assertThat(node.process.outputText()).contains("SIGHUP: reloading the configuration");

    // an invalid file changes nothing, and the process stays up
    Files.writeString(config, "domains: [chat.test\n");
    node.process.hangUp();
    awaitMetric("bosh_config_reloads_total{outcome=\"failure\"} 1.0");
    assertThat(node.process.isAlive()).isTrue();
    assertThat(node.readyStatus()).isEqualTo(200);
    assertThat(metrics()).contains("bosh_config_reloads_total{outcome=\"success\"} 1.0");
    Body refused = client.post("<body rid='2000' to='localhost' wait='60' hold='1' ver='1.11'"
        + " " + NS + "/>").body();
    assertThat(refused.condition()).contains(BindingCondition.HOST_UNKNOWN);
  }

  private void awaitMetric(String line) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!metrics().contains(line)) {
      assertThat(System.nanoTime()).as("no " + line + " in:\n" + metrics())
          .isLessThan(deadline);
      Thread.sleep(50); // polling another process's metrics
    }
  }

  private String metrics() throws Exception {
    return HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + node.adminPort + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
