package dev.bindery.server;

import dev.bindery.client.BoshException;
import dev.bindery.client.BoshTransport;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyParseException;
import dev.bindery.protocol.body.BodyParser;
import dev.bindery.protocol.testing.BodySchema;
import dev.bindery.protocol.testing.XmlTree;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLContext;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * Thread-safe. A raw HTTP client for the tests that post what a BOSH client library must never
 * send, or must see what it hides: malformed or out-of-window bodies, compressed answers, HTTP
 * statuses, headers and the HTTP version of an answer. The tests that only need a BOSH session
 * use the project's client library (bindery-client) instead; {@link #transport()} lends this
 * client's HTTPS and h2 set-up to it. Posts bodies over real HTTP/1.1 (each outstanding request
 * on its own connection) and checks every answer on arrival: a 200 with content must be a
 * {@code <body/>} valid against the XEP-0124 schema, inflated first if it came compressed.
 */
public final class BoshHttpClient {

  /** The BOSH namespace, as an attribute to paste into a request. */
  public static final String NS = "xmlns='http://jabber.org/protocol/httpbind'";
  /** The XEP-0206 namespace declaration, for {@code xmpp:version} and {@code xmpp:restart}. */
  public static final String XBOSH = "xmlns:xmpp='urn:xmpp:xbosh'";

  /** Longer than any {@code wait} a test asks for: a request is never cut short by the client. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(70);

  private static final BodyParser PARSER = new BodyParser();

  private final URI endpoint;
  private final HttpClient http;
  private final Map<String, String> headers;

  public BoshHttpClient(URI endpoint) {
    this(endpoint, Map.of());
  }

  /** A client sending {@code headers} with every request, e.g. {@code X-Forwarded-For}. */
  public BoshHttpClient(URI endpoint, Map<String, String> headers) {
    this(endpoint, headers, null);
  }

  /** A client for an {@code https} endpoint whose certificate {@code tls} trusts. */
  public BoshHttpClient(URI endpoint, SSLContext tls) {
    this(endpoint, Map.of(), tls);
  }

  private BoshHttpClient(URI endpoint, Map<String, String> headers, SSLContext tls) {
    this(endpoint, headers, tls, HttpClient.Version.HTTP_1_1);
  }

  private BoshHttpClient(URI endpoint, Map<String, String> headers, SSLContext tls,
      HttpClient.Version version) {
    this.endpoint = endpoint;
    this.headers = Map.copyOf(headers);
    HttpClient.Builder b = HttpClient.newBuilder()
        .version(version)
        .connectTimeout(Duration.ofSeconds(5));
    if (tls != null) {
      b.sslContext(tls);
    }
    this.http = b.build();
  }

  /**
   * A client for an {@code https} endpoint that offers h2 by ALPN, as browsers do, and speaks
   * HTTP/1.1 when the server does not choose h2 ({@link Reply#version()} tells).
   */
  public static BoshHttpClient http2(URI endpoint, SSLContext tls) {
    return new BoshHttpClient(endpoint, Map.of(), tls, HttpClient.Version.HTTP_2);
  }

  /** Posts {@code xml} and waits for the answer. */
  public Reply post(String xml) throws IOException, InterruptedException {
    return check(http.send(request(xml, null), HttpResponse.BodyHandlers.ofByteArray()));
  }

  /** Posts {@code xml}, asking for a compressed answer ({@code Accept-Encoding}). */
  public Reply post(String xml, String acceptEncoding) throws IOException, InterruptedException {
    return check(http.send(request(xml, acceptEncoding),
        HttpResponse.BodyHandlers.ofByteArray()));
  }

  /** Posts {@code xml}; the future completes with the checked answer. */
  public CompletableFuture<Reply> postAsync(String xml) {
    return http.sendAsync(request(xml, null), HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(BoshHttpClient::check);
  }

  /**
   * This client as a bindery-client {@link BoshTransport}: the entity of a 200 answer (checked
   * as every answer is), else a {@link BoshException} of kind {@code HTTP_STATUS}. Requests time
   * out after {@link #REQUEST_TIMEOUT}, whatever timeout the caller passes.
   */
  public BoshTransport transport() {
    return (xml, timeout) -> postAsync(xml).thenApply(reply -> {
      if (reply.status() != 200) {
        throw new CompletionException(new BoshException(BoshException.Kind.HTTP_STATUS,
            Integer.toString(reply.status()), "HTTP " + reply.status() + " from " + endpoint));
      }
      return reply.text();
    });
  }

  /** Fails (unchecked) unless {@code xml} is a valid body; returns it parsed. */
  public static Body validBody(String xml) {
    BodySchema.assertValid(xml);
    try {
      return PARSER.parse(xml.getBytes(StandardCharsets.UTF_8));
    } catch (BodyParseException e) {
      throw new AssertionError("schema-valid, yet Bindery's parser refuses it: " + xml, e);
    }
  }

  private HttpRequest request(String xml, String acceptEncoding) {
    HttpRequest.Builder b = HttpRequest.newBuilder(endpoint)
        .timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "text/xml; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(xml));
    if (acceptEncoding != null) {
      b.header("Accept-Encoding", acceptEncoding);
    }
    headers.forEach(b::header);
    return b.build();
  }

  private static Reply check(HttpResponse<byte[]> response) {
    byte[] bytes = decode(response.body(),
        response.headers().firstValue("Content-Encoding").orElse(null));
    Reply reply = new Reply(response.statusCode(), response.headers(),
        new String(bytes, StandardCharsets.UTF_8), response.version());
    if (reply.status() == 200 && !reply.text().isEmpty()) {
      BodySchema.assertValid(reply.text());
    }
    return reply;
  }

  private static byte[] decode(byte[] bytes, String coding) {
    if (coding == null) {
      return bytes;
    }
    try {
      return switch (coding) {
        case "gzip" -> new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes();
        case "deflate" -> new InflaterInputStream(new ByteArrayInputStream(bytes)).readAllBytes();
        default -> throw new AssertionError("unexpected Content-Encoding: " + coding);
      };
    } catch (IOException e) {
      throw new UncheckedIOException("undecodable " + coding + " response", e);
    }
  }

  /**
   * Immutable. One answer, its content decoded.
   *
   * @param status  the HTTP status
   * @param headers the response headers
   * @param text    the content as UTF-8 text, inflated if it came compressed
   * @param version the HTTP version it came over
   */
  public record Reply(int status, HttpHeaders headers, String text, HttpClient.Version version) {

    /** The content as a parsed {@code <body/>} (already checked against the schema). */
    public Body body() {
      if (status != 200) {
        throw new AssertionError("HTTP " + status + ", not a body");
      }
      return validBody(text);
    }

    /** The content as a parsed XML value, read by the JDK's parser, not Bindery's. */
    public XmlTree tree() {
      return XmlTree.parse(text);
    }

    public Optional<String> header(String name) {
      return headers.firstValue(name);
    }
  }
}
