package dev.bindery.server.http;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyWriter;
import dev.bindery.server.metrics.BoshMetrics;
import dev.bindery.server.session.Exchange;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread-safe: answered exactly once, guarded by {@link #claim()}. The BOSH servlet's {@link
 * Exchange}: one suspended HTTP request (a long-poll); holds no thread while it waits. The answer
 * is written without blocking.
 */
public final class ServletExchange implements Exchange {

  /** The Content-Type of responses when the client named none (XEP-0124 §7.1). */
  public static final String DEFAULT_CONTENT_TYPE = "text/xml; charset=utf-8";

  private static final Logger LOG = LoggerFactory.getLogger(ServletExchange.class);
  private static final Logger WIRE = LoggerFactory.getLogger("dev.bindery.wire");

  private final AsyncContext async;
  private final String clientAddress;
  private final boolean secure;
  /** The coding responses may use ({@code gzip}, {@code deflate}), or null. */
  private final String coding;
  private final AtomicBoolean claimed = new AtomicBoolean();
  private final BoshMetrics metrics;
  private final long arrivalNanos = System.nanoTime();

  ServletExchange(AsyncContext async, String clientAddress, boolean secure, String acceptEncoding,
      BoshMetrics metrics) {
    this.async = async;
    this.clientAddress = clientAddress;
    this.secure = secure;
    this.coding = ContentCoding.negotiate(acceptEncoding);
    this.metrics = metrics;
    metrics.requestHeld();
  }

  /** When the request arrived ({@link System#nanoTime()}), for relay latency. */
  @Override
  public long arrivalNanos() {
    return arrivalNanos;
  }

  /** True when the request came over HTTPS. */
  @Override
  public boolean secure() {
    return secure;
  }

  /** The client's IP address, for logs. */
  @Override
  public String clientAddress() {
    return clientAddress;
  }

  /** True once, for whoever gets to answer this request. */
  boolean claim() {
    return claimed.compareAndSet(false, true);
  }

  public boolean answered() {
    return claimed.get();
  }

  /**
   * Answers with a body: a 200 with the XML, or for a legacy client's terminal condition the
   * deprecated HTTP status (XEP-0124 §17.1).
   *
   * @param contentType the session's {@code content} (§7.1), or null for {@value #DEFAULT_CONTENT_TYPE}
   */
  @Override
  public boolean respond(Body body, boolean legacy, String contentType) {
    if (legacy && body.isTerminate()) {
      int status = body.condition().map(BindingCondition::legacyHttpStatus).orElse(0);
      if (status != 0) {
        return complete(status, "text/plain; charset=utf-8", null, new byte[0], body);
      }
    }
    byte[] bytes = BodyWriter.toBytes(body);
    if (WIRE.isTraceEnabled()) {
      WIRE.trace("client={} response: {}", clientAddress, new String(bytes, StandardCharsets.UTF_8));
    }
    String type = contentType == null ? DEFAULT_CONTENT_TYPE : contentType;
    if (coding != null && bytes.length >= ContentCoding.MIN_COMPRESS_BYTES) {
      ContentCoding.Encoded encoded = ContentCoding.encode(bytes, coding);
      return complete(HttpServletResponse.SC_OK, type, encoded.coding(), encoded.bytes(), body);
    }
    return complete(HttpServletResponse.SC_OK, type, null, bytes, body);
  }

  /**
   * Ends the exchange without an answer (XEP-0124 §19: an insecure request in a secure session),
   * unless already answered: over HTTP/1.1 the connection is closed, over HTTP/2 only the
   * request's stream is reset, since the connection may carry other clients' requests.
   */
  @Override
  public void drop() {
    if (!claim()) {
      return;
    }
    metrics.requestAnswered(null, 0, 0);
    LOG.info("client={} insecure request in a secure session: dropped unanswered", clientAddress);
    try {
      UnansweredDrop.drop(async.getRequest());
    } finally {
      completeQuietly();
    }
  }

  /**
   * The client is gone before its answer (a closed connection, a reset HTTP/2 stream), and the
   * container has ended the exchange: nobody answers it any more. The session still answers
   * the request in its own time, to nobody; a client that resends the rid gets that answer again
   * (XEP-0124 §14.3), so nothing is lost.
   */
  void abandon() {
    if (claim()) {
      metrics.requestAbandoned();
    }
  }

  /** Answers with an HTTP status and {@code content}, unless already answered. */
  public boolean complete(int status, String contentType, byte[] content) {
    return complete(status, contentType, null, content, null);
  }

  private boolean complete(int status, String contentType, String contentEncoding,
      byte[] content, Body body) {
    if (!claim()) {
      return false;
    }
    metrics.requestAnswered(body, status, content.length);
    AsyncAnswer.send(async, status, contentType, contentEncoding, "Accept-Encoding", content,
        clientAddress);
    return true;
  }

  private void completeQuietly() {
    AsyncAnswer.complete(async, clientAddress);
  }
}
