package dev.bindery.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Thread-safe. A {@link BoshTransport} over the JDK's asynchronous {@link HttpClient}: HTTP/1.1
 * with keep-alive, so a held request and the request that releases it use two pooled
 * connections, and no thread waits for a response.
 */
public final class HttpBoshTransport implements BoshTransport {

  /** How long opening a connection to the endpoint may take. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final String CONTENT_TYPE = "text/xml; charset=utf-8";

  private final HttpClient http;
  private final URI endpoint;
  private final Map<String, String> headers;

  private HttpBoshTransport(HttpClient http, URI endpoint, Map<String, String> headers) {
    this.http = http;
    this.endpoint = endpoint;
    this.headers = headers;
  }

  /**
   * A transport to {@code endpoint} (e.g. {@code http://127.0.0.1:5280/http-bind}) whose
   * completions run on {@code executor}.
   */
  public static HttpBoshTransport create(URI endpoint, Executor executor) {
    return create(endpoint, HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(DEFAULT_CONNECT_TIMEOUT)
        .executor(Objects.requireNonNull(executor, "executor")), Map.of());
  }

  /**
   * A transport to {@code endpoint} over a client built by {@code http}, whose settings (its
   * executor, HTTP version, TLS context, cookie handler, connect timeout) are the caller's, and
   * which sends {@code headers} with every request, e.g. {@code X-Forwarded-For}. Redirects are
   * never followed: a BOSH answer is never a redirect.
   */
  public static HttpBoshTransport create(URI endpoint, HttpClient.Builder http,
      Map<String, String> headers) {
    Objects.requireNonNull(endpoint, "endpoint");
    String scheme = endpoint.getScheme();
    if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException("invalid BOSH URL: " + endpoint
          + " (expected: http://host:port/path or https://...)");
    }
    HttpClient client = http.followRedirects(HttpClient.Redirect.NEVER).build();
    return new HttpBoshTransport(client, endpoint, Map.copyOf(headers));
  }

  /** The BOSH URL requests go to. */
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public CompletableFuture<String> post(String body, Duration timeout) {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
        .timeout(timeout)
        .header("Content-Type", CONTENT_TYPE)
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    headers.forEach(request::header);
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(HttpBoshTransport::entity);
  }

  private static String entity(HttpResponse<String> response) {
    int status = response.statusCode();
    if (status != 200) {
      throw new CompletionException(new BoshException(BoshException.Kind.HTTP_STATUS,
          Integer.toString(status), "HTTP " + status + " from " + response.uri()
              + legacyMeaning(status)));
    }
    return response.body();
  }

  /** XEP-0124 §17.1: what a legacy connection manager means by its status code. */
  private static String legacyMeaning(int status) {
    return switch (status) {
      case 400 -> " (bad-request)";
      case 403 -> " (policy-violation)";
      case 404 -> " (item-not-found: unknown sid, rid out of window, or wrong URL)";
      default -> "";
    };
  }

  @Override
  public String toString() {
    return "HttpBoshTransport[" + endpoint + "]";
  }
}
