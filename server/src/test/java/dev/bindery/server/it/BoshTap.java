package dev.bindery.server.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Thread-safe. An HTTP relay in front of a BOSH endpoint that keeps each request body and the
 * body answering it, so that a test sees what the connection manager delivered to each session
 * in the order of the requests' {@code rid}s, whatever order the client library processes the
 * responses in.
 *
 * <p>It relays POST bodies only, with their {@code Content-Type}, over HTTP/1.1 without
 * {@code Accept-Encoding}, so responses come back uncompressed.
 */
final class BoshTap implements AutoCloseable {

  /**
   * One answered request.
   *
   * @param seq           the order in which the answers came back through the relay
   * @param sid           the session: the request's {@code sid}, or for a session creation
   *                      request the answer's
   * @param rid           the request's {@code rid}
   * @param request       the request body
   * @param response      the response body
   * @param answeredNanos {@link System#nanoTime()} when the answer came back
   */
  record Exchange(long seq, String sid, long rid, String request, String response,
      long answeredNanos) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final URI target;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
  private final AtomicLong seq = new AtomicLong();

  private BoshTap(HttpServer server, ExecutorService executor, URI target) {
    this.server = server;
    this.executor = executor;
    this.target = target;
  }

  /** Starts relaying to {@code target}, e.g. {@code http://127.0.0.1:5280/http-bind}. */
  static BoshTap start(URI target) throws IOException {
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    ExecutorService executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "bosh-tap");
      t.setDaemon(true);
      return t;
    });
    BoshTap tap = new BoshTap(server, executor, target);
    server.createContext("/", tap::relay);
    server.setExecutor(executor);
    server.start();
    return tap;
  }

  /** The relay's endpoint, with the target's path. */
  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + target.getRawPath());
  }

  /** Every answered request of session {@code sid}, by {@code rid}. */
  List<Exchange> exchanges(String sid) {
    return exchanges.stream().filter(e -> sid.equals(e.sid()))
        .sorted(Comparator.comparingLong(Exchange::rid)).toList();
  }

  /** The sessions seen so far, in the order they were created. */
  List<String> sids() {
    return exchanges.stream().sorted(Comparator.comparingLong(Exchange::seq))
        .map(Exchange::sid).filter(s -> s != null).distinct().toList();
  }

  private void relay(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] requestBytes;
      try (InputStream in = exchange.getRequestBody()) {
        requestBytes = in.readAllBytes();
      }
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      HttpResponse<byte[]> answer;
      try {
        answer = http.send(HttpRequest.newBuilder(target)
            .timeout(Duration.ofMinutes(3))
            .header("Content-Type", contentType == null ? "text/xml; charset=utf-8" : contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(requestBytes)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(502, -1);
        return;
      } catch (IOException e) {
        exchange.sendResponseHeaders(502, -1);
        return;
      }
      record(new String(requestBytes, StandardCharsets.UTF_8),
          new String(answer.body(), StandardCharsets.UTF_8));
      answer.headers().firstValue("Content-Type")
          .ifPresent(v -> exchange.getResponseHeaders().set("Content-Type", v));
      exchange.sendResponseHeaders(answer.statusCode(),
          answer.body().length == 0 ? -1 : answer.body().length);
      if (answer.body().length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer.body());
        }
      }
    }
  }

  private void record(String request, String response) {
    long now = System.nanoTime();
    try {
      Map<String, String> sent = XmppElements.bodyAttributes(request);
      String sid = sent.get("sid");
      if (sid == null && !response.isEmpty()) {
        sid = XmppElements.bodyAttributes(response).get("sid");
      }
      long rid = Long.parseLong(sent.getOrDefault("rid", "-1"));
      exchanges.add(new Exchange(seq.incrementAndGet(), sid, rid, request, response, now));
    } catch (RuntimeException e) {
      // not a BOSH body: a test that sends one checks the answer itself
      exchanges.add(new Exchange(seq.incrementAndGet(), null, -1, request, response, now));
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
