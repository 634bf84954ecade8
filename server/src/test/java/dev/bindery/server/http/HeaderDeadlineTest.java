package dev.bindery.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.server.config.AdminConfig;
import dev.bindery.server.config.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code http.header-timeout}: a connection trickling a request's headers is closed once they
 * have taken longer than the timeout (Jetty's idle timeout alone starts again with each byte);
 * an idle keep-alive connection, and a body trickled after complete headers, are not its to end.
 */
class HeaderDeadlineTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  /** One byte this often: each keeps Jetty's idle timeout from firing. */
  private static final Duration DRIP = Duration.ofMillis(200);
  private static final String REQUEST = "POST /http-bind HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      + "Content-Type: text/xml; charset=utf-8\r\nContent-Length: 13\r\n\r\n";

  private ScriptedBindery cm;

  @BeforeEach
  void start() throws Exception {
    cm = ScriptedBindery.start(ServerConfig.builder().headerTimeout(TIMEOUT)
        .admin(new AdminConfig("127.0.0.1", 0)));
  }

  @AfterEach
  void stop() throws Exception {
    cm.close();
  }

  @Test
  void headersTrickledPastTheTimeoutCloseTheConnection() throws Exception {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      long started = System.nanoTime();
      boolean closed = false;
      // the whole request, one byte per DRIP, would take 30 s
      for (byte b : REQUEST.getBytes(StandardCharsets.US_ASCII)) {
        try {
          out.write(b);
          out.flush();
        } catch (IOException e) {
          closed = true;
          break;
        }
        if (endOfStream(socket, DRIP)) {
          closed = true;
          break;
        }
      }
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
      assertThat(closed).as("closed by Bindery").isTrue();
      assertThat(seconds).as("seconds until closed").isBetween(1L, 10L);
    }
    assertThat(metric()).contains("bosh_http_header_timeouts_total 1.0");
  }

  @Test
  void anIdleConnectionAndABodyTrickledAfterItsHeadersAreLeftAlone() throws Exception {
    try (Socket idle = connect(); Socket slowBody = connect()) {
      OutputStream out = slowBody.getOutputStream();
      out.write(REQUEST.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // three timeouts' worth of a body trickled after complete headers
      for (byte b : "<body rid='1'".getBytes(StandardCharsets.US_ASCII)) {
        out.write(b);
        out.flush();
        Thread.sleep(3 * TIMEOUT.toMillis() / 13);
      }
      String answer = readAnswer(slowBody);
      assertThat(answer).startsWith("HTTP/1.1 200").contains("condition=\"bad-request\"");
      assertThat(endOfStream(idle, Duration.ofMillis(100)))
          .as("an idle keep-alive connection, older than the timeout, stays open").isFalse();
    }
    assertThat(metric()).contains("bosh_http_header_timeouts_total 0.0");
  }

  @Test
  void ordinaryRequestsAreAnswered() throws Exception {
    HttpResponse<String> answer = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(cm.bindery.endpoint()).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(200);
  }

  private Socket connect() throws IOException {
    URI endpoint = cm.bindery.endpoint();
    return new Socket(endpoint.getHost(), endpoint.getPort());
  }

  /** Whether the peer closed the connection within {@code wait}. */
  private static boolean endOfStream(Socket socket, Duration wait) throws IOException {
    socket.setSoTimeout((int) wait.toMillis());
    try {
      return socket.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  private static String readAnswer(Socket socket) throws IOException {
    socket.setSoTimeout(10_000);
    InputStream in = socket.getInputStream();
    StringBuilder answer = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      answer.append((char) c);
      int headersEnd = answer.indexOf("\r\n\r\n");
      if (headersEnd > 0 && answer.lastIndexOf("/>") > headersEnd) {
        break; // the one empty body element Bindery answers here
      }
    }
    return answer.toString();
  }

  private String metric() throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            cm.bindery.adminEndpoint().resolve("/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
