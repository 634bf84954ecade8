package dev.bindery.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JDK transport against a loopback HTTP server that answers with a scripted status. */
class HttpBoshTransportTest {

  static final String BODY = "<body xmlns='http://jabber.org/protocol/httpbind'/>";
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  HttpServer server;
  URI endpoint;
  volatile int status = 200;
  final List<String> forwardedFor = new CopyOnWriteArrayList<>();
  final List<String> contentTypes = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/http-bind", exchange -> {
      exchange.getRequestBody().readAllBytes();
      forwardedFor.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Forwarded-For")));
      contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
      byte[] answer = BODY.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
    endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/http-bind");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void theEntityOfA200IsTheAnswer() throws Exception {
    HttpBoshTransport transport = HttpBoshTransport.create(endpoint, Runnable::run);

    assertThat(transport.post(BODY, TIMEOUT).get(10, TimeUnit.SECONDS)).isEqualTo(BODY);
    assertThat(contentTypes).containsExactly(HttpBoshTransport.CONTENT_TYPE);
  }

  @Test
  void extraHeadersGoWithEveryRequest() throws Exception {
    HttpBoshTransport transport = HttpBoshTransport.create(endpoint,
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1),
        Map.of("X-Forwarded-For", "203.0.113.7"));

    transport.post(BODY, TIMEOUT).get(10, TimeUnit.SECONDS);
    transport.post(BODY, TIMEOUT).get(10, TimeUnit.SECONDS);

    assertThat(forwardedFor).containsExactly("203.0.113.7", "203.0.113.7");
  }

  /** XEP-0124 §17.1: a legacy connection manager reports an error with the HTTP status. */
  @Test
  void anyOtherStatusIsAnHttpStatusFailureNamingTheCode() {
    status = 404;
    HttpBoshTransport transport = HttpBoshTransport.create(endpoint, Runnable::run);

    assertThatThrownBy(() -> transport.post(BODY, TIMEOUT).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(BoshException.class)
        .satisfies(e -> {
          assertThat(((BoshException) e).kind()).isEqualTo(BoshException.Kind.HTTP_STATUS);
          assertThat(((BoshException) e).condition()).isEqualTo("404");
        });
  }
}
