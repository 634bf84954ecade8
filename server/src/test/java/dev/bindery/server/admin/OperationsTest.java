package dev.bindery.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyParser;
import dev.bindery.server.Bindery;
import dev.bindery.server.ScriptedXmppServer;
import dev.bindery.server.config.ServerConfig;
import dev.bindery.server.config.DrainConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin listener and the drain, end to end over HTTP with a scripted XMPP server. */
class OperationsTest {

  private static final String NS = "xmlns='http://jabber.org/protocol/httpbind'";
  private static final URI TARGET = URI.create("https://other.example/http-bind");

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private ScriptedXmppServer xmpp;
  private Bindery bindery;

  @BeforeEach
  void start() throws Exception {
    xmpp = new ScriptedXmppServer();
    bindery = Bindery.start(ServerConfig.builder().port(0)
        .upstream("127.0.0.1", xmpp.port())
        .drain(new DrainConfig(Duration.ofSeconds(30), TARGET)).build());
  }

  @AfterEach
  void stop() throws Exception {
    bindery.close();
    xmpp.close();
  }

  @Test
  void healthIsLiveAndReadyAndMetricsAreInPrometheusTextFormat() throws Exception {
    String sid = create(1);

    assertThat(admin("/health/live").statusCode()).isEqualTo(200);
    assertThat(admin("/health/ready").statusCode()).isEqualTo(200);
    HttpResponse<String> metrics = admin("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
    assertThat(metrics.body())
        .contains("bosh_sessions_active{transport=\"bosh\"} 1.0")
        .contains("bosh_sessions_active{transport=\"websocket\"} 0.0")
        .contains("bosh_sessions_started_total{transport=\"bosh\"} 1.0")
        .contains("bosh_requests_total{condition=\"none\",outcome=\"ok\"}")
        .contains("bosh_request_size_bytes_bucket")
        .contains("bosh_relay_latency_seconds_bucket{direction=\"server_to_client\"")
        .contains("bosh_stanzas_relayed_total{direction=\"server_to_client\",transport=\"bosh\"}")
        .contains("bosh_upstream_connect_seconds_count 1")
        .contains("jvm_memory_used_bytes")
        .contains("jetty_threads_busy")
        .contains("netty_eventexecutor_tasks_pending")
        .doesNotContain(sid);
    assertThat(admin("/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void drainSendsNewSessionsElsewhereKeepsExistingOnesThenShutsThemDownResumably()
      throws Exception {
    String sid = create(1);
    xmpp.connection(0).awaitReceived("<stream:stream");
    CompletableFuture<Void> drained = CompletableFuture.runAsync(
        () -> bindery.drain(Duration.ofSeconds(2)));

    awaitStatus("/health/ready", 503);
    assertThat(bindery.ready()).isFalse();
    Body refused = parse(post("<body rid='1' to='localhost' wait='5' hold='1' ver='1.11' "
        + NS + "/>"));
    assertThat(refused.condition()).contains(BindingCondition.SEE_OTHER_URI);
    assertThat(refused.payloads()).singleElement()
        .satisfies(uri -> assertThat(uri.xml()).contains(TARGET.toString()));

    // the existing session still relays during the grace period
    CompletableFuture<HttpResponse<String>> during = postAsync("<body rid='2' sid='" + sid
        + "' " + NS + "><message xmlns='jabber:client' to='a@localhost'><body>during</body>"
        + "</message></body>");
    xmpp.connection(0).awaitReceived("during");
    xmpp.connection(0).send("<message xmlns='jabber:client' from='a@localhost'><body>reply"
        + "</body></message>");
    Body answered = parse(during.get(5, TimeUnit.SECONDS));
    assertThat(answered.isTerminate()).as(answered.toString()).isFalse();
    assertThat(answered.payloads()).singleElement()
        .satisfies(m -> assertThat(m.xml()).contains("reply"));

    // a held request at the end of the grace period learns system-shutdown
    CompletableFuture<HttpResponse<String>> held = postAsync("<body rid='3' sid='" + sid + "' "
        + NS + "><message xmlns='jabber:client' to='a@localhost'><body>last</body></message>"
        + "</body>");
    Body last = parse(held.get(10, TimeUnit.SECONDS));
    assertThat(last.isTerminate()).isTrue();
    assertThat(last.condition()).contains(BindingCondition.SYSTEM_SHUTDOWN);
    drained.get(10, TimeUnit.SECONDS);

    // the server stream is left unfinished, for the client to resume elsewhere (XEP-0198 §7):
    // the connection closes after everything the client sent, without </stream:stream>
    ScriptedXmppServer.Connection upstream = xmpp.connection(0);
    assertThat(upstream.awaitClosed(Duration.ofSeconds(5))).as("connection closed").isTrue();
    assertThat(upstream.received()).contains("last").doesNotContain("</stream:stream>");
    // the session leaves the registry on its event loop, just after its last writes
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (bindery.sessions().size() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(bindery.sessions().size()).isZero();
    assertThat(bindery.meterRegistry().scrape())
        .contains("bosh_sessions_ended_total{condition=\"system-shutdown\",transport=\"bosh\"} 1.0")
        .contains("bosh_sessions_refused_total{reason=\"draining\",transport=\"bosh\"} 1.0")
        .contains("bosh_draining 1.0");
  }

  private String create(long rid) throws Exception {
    Body created = parse(post("<body rid='" + rid + "' to='localhost' wait='5' hold='1'"
        + " ver='1.11' xmlns:xmpp='urn:xmpp:xbosh' xmpp:version='1.0' " + NS + "/>"));
    return created.sid().orElseThrow();
  }

  private void awaitStatus(String path, int status) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (admin(path).statusCode() != status) {
      assertThat(System.nanoTime()).as(path + " never became " + status).isLessThan(deadline);
      Thread.sleep(20); // polling an HTTP endpoint's state
    }
  }

  private HttpResponse<String> admin(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(bindery.adminEndpoint().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String xml) throws Exception {
    return postAsync(xml).get(15, TimeUnit.SECONDS);
  }

  private CompletableFuture<HttpResponse<String>> postAsync(String xml) {
    return http.sendAsync(HttpRequest.newBuilder(bindery.endpoint())
        .timeout(Duration.ofSeconds(15))
        .POST(HttpRequest.BodyPublishers.ofString(xml)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Body parse(HttpResponse<String> response) throws Exception {
    return new BodyParser().parse(response.body().getBytes(StandardCharsets.UTF_8));
  }
}
