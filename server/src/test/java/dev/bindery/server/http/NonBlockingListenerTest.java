package dev.bindery.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.BodyParser;
import dev.bindery.server.Bindery;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The BOSH listener handles requests on the threads that read them, so no answer may wait for a
 * client to read it. Clients that pipeline requests and never read the answers must leave every
 * other client served.
 */
class NonBlockingListenerTest {

  /** More connections than Jetty runs selectors on any machine, so every selector gets one. */
  private static final int STALLED_CLIENTS = 8;
  /** Enough pipelined requests to fill a small receive window and the socket buffers behind it. */
  private static final int PIPELINED = 200_000;

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private final List<Socket> stalled = new ArrayList<>();
  private ScriptedBindery cm;
  private Bindery bindery;

  @BeforeEach
  void start() throws Exception {
    cm = ScriptedBindery.start();
    bindery = cm.bindery;
  }

  @AfterEach
  void stop() throws Exception {
    for (Socket s : stalled) {
      s.close();
    }
    cm.close();
  }

  @Test
  void getAnswersWithWhatTheEndpointIs() throws Exception {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(bindery.endpoint()).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    assertThat(response.body()).contains("XMPP over BOSH").contains("POST");
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
  }

  @Test
  void headAnswersTheHeadersAlone() throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(bindery.endpoint())
            .timeout(Duration.ofSeconds(10)).method("HEAD", HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
  }

  @Test
  void clientsThatNeverReadTheirAnswersDoNotStallOthers() throws Exception {
    stall("GET " + bindery.endpoint().getPath() + " HTTP/1.1\r\nHost: bindery\r\n\r\n");
    stall("GET /elsewhere HTTP/1.1\r\nHost: bindery\r\n\r\n"); // Jetty's 404 page
    stall("PUT " + bindery.endpoint().getPath()
        + " HTTP/1.1\r\nHost: bindery\r\nContent-Length: 0\r\n\r\n"); // 405

    for (int i = 0; i < 3; i++) {
      HttpResponse<String> poll = http.send(HttpRequest.newBuilder(bindery.endpoint())
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "text/xml; charset=utf-8")
              .POST(HttpRequest.BodyPublishers.ofString(
                  "<body rid='5' sid='unknown' xmlns='http://jabber.org/protocol/httpbind'/>"))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(new BodyParser().parse(poll.body().getBytes(StandardCharsets.UTF_8)).condition())
          .contains(BindingCondition.ITEM_NOT_FOUND);
    }
    getAnswersWithWhatTheEndpointIs();
  }

  /**
   * Opens {@link #STALLED_CLIENTS} connections that each pipeline {@link #PIPELINED} copies of
   * {@code request} and read nothing, and waits until their writes stop getting through.
   */
  private void stall(String request) throws Exception {
    byte[] bytes = request.repeat(PIPELINED).getBytes(StandardCharsets.US_ASCII);
    List<Thread> writers = new ArrayList<>();
    for (int i = 0; i < STALLED_CLIENTS; i++) {
      Socket socket = new Socket();
      socket.setReceiveBufferSize(4096);
      socket.connect(new InetSocketAddress(bindery.endpoint().getHost(), bindery.endpoint().getPort()));
      stalled.add(socket);
      Thread writer = new Thread(() -> {
        try {
          OutputStream out = socket.getOutputStream();
          out.write(bytes);
          out.flush();
        } catch (IOException closedByTheTest) {
          // the test closes the socket while this write is stuck
        }
      }, "stalled-client-" + i);
      writer.setDaemon(true);
      writer.start();
      writers.add(writer);
    }
    // the answers pile up unread; the server stops reading, then the clients' writes stop too
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    for (Thread writer : writers) {
      writer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(giveUp - System.nanoTime())));
    }
    assertThat(writers).as("pipelined requests the server is still waiting to answer")
        .anyMatch(Thread::isAlive);
  }
}
