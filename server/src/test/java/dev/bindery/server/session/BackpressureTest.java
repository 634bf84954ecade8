package dev.bindery.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyParser;
import dev.bindery.server.Bindery;
import dev.bindery.server.ScriptedXmppServer;
import dev.bindery.server.config.ServerConfig;
import dev.bindery.server.upstream.Endpoint;
import dev.bindery.server.upstream.UpstreamLimits;
import dev.bindery.server.upstream.UpstreamPolicy;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A server floods a client that does not poll: Bindery stops reading at its buffer bound, so TCP
 * pushes back on the server, and memory stays bounded; the client's next poll resumes reading.
 */
class BackpressureTest {

  private static final String NS = "xmlns='http://jabber.org/protocol/httpbind'";
  private static final int MAX_BUFFERED = 64 * 1024;
  /** One read may bring a socket buffer's worth beyond the bound, as whole stanzas. */
  private static final int READ_SLACK = 64 * 1024 + 2 * 1024;
  /** Far more than the kernel's socket buffers hold on loopback: the flood cannot finish. */
  private static final long FLOOD_BYTES = 256L * 1024 * 1024;

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final BodyParser parser = new BodyParser();
  private ScriptedXmppServer xmpp;
  private Bindery bindery;

  @BeforeEach
  void start() throws Exception {
    xmpp = new ScriptedXmppServer();
    UpstreamPolicy policy = UpstreamPolicy.plainLoopback(new Endpoint("127.0.0.1", xmpp.port()),
        List.of("localhost"))
        .withLimits(UpstreamLimits.DEFAULTS.withMaxBufferedBytes(MAX_BUFFERED));
    bindery = Bindery.start(ServerConfig.builder().port(0).upstream(policy).build());
  }

  @AfterEach
  void stop() throws Exception {
    bindery.close();
    xmpp.close();
  }

  @Test
  void floodedSessionStopsReadingAtItsBufferBound() throws Exception {
    Body created = post("<body rid='1000' to='localhost' wait='5' hold='1' ver='1.6' " + NS
        + "/>");
    String sid = created.sid().orElseThrow();
    SessionRunner runner = bindery.sessions().find(sid);
    ScriptedXmppServer.Connection server = xmpp.connection(0);

    AtomicLong written = new AtomicLong();
    AtomicBoolean finished = new AtomicBoolean();
    String stanza = "<message to='a@localhost' type='chat'><body>" + "x".repeat(1000)
        + "</body></message>";
    Thread flood = new Thread(() -> {
      try {
        while (written.get() < FLOOD_BYTES) {
          server.send(stanza.repeat(16));
          written.addAndGet(16L * stanza.length());
        }
        finished.set(true);
      } catch (IOException e) {
        // the connection closed when the test ended
      }
    }, "flood");
    flood.setDaemon(true);
    flood.start();

    SessionRunner.BufferState paused = awaitPaused(runner);
    assertThat(paused.bytes()).isGreaterThanOrEqualTo(MAX_BUFFERED)
        .isLessThanOrEqualTo(MAX_BUFFERED + READ_SLACK);
    // paused means no more reads: however long the server keeps pushing, the buffer stays put
    assertThat(runner.bufferState().get(5, TimeUnit.SECONDS).bytes()).isEqualTo(paused.bytes());
    assertThat(finished).isFalse();

    // the client collects: reading resumes, and the next batch is bounded again
    Body collected = post("<body rid='1001' sid='" + sid + "' " + NS + "/>");
    assertThat(collected.payloads()).hasSize(paused.stanzas());
    long before = written.get();
    SessionRunner.BufferState again = awaitPaused(runner);
    assertThat(again.bytes()).isLessThanOrEqualTo(MAX_BUFFERED + READ_SLACK);
    assertThat(finished).isFalse();
    assertThat(written.get()).isGreaterThanOrEqualTo(before);
  }

  private static SessionRunner.BufferState awaitPaused(SessionRunner runner) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      SessionRunner.BufferState state = runner.bufferState().get(5, TimeUnit.SECONDS);
      if (state.paused()) {
        return state;
      }
      assertThat(System.nanoTime()).as("upstream reading paused within 10 s; last: %s", state)
          .isLessThan(deadline);
      Thread.sleep(10); // polling the loop's state, not ordering the code under test
    }
  }

  private Body post(String xml) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(bindery.endpoint())
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(xml)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return parser.parse(response.body().getBytes(StandardCharsets.UTF_8));
  }
}
