package dev.bindery.server.http;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyWriter;
import dev.bindery.server.metrics.BoshMetrics;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread-safe: answered exactly once, guarded by {@link #claim()}. One suspended HTTP request
 * (a long-poll); holds no thread while it waits. The answer is written without blocking.
 */
public final class HeldRequest {

  /** The Content-Type of responses when the client named none (XEP-0124 §7.1). */
  public static final String DEFAULT_CONTENT_TYPE = "text/xml; charset=utf-8";

  private static final Logger LOG = LoggerFactory.getLogger(HeldRequest.class);
  private static final Logger WIRE = LoggerFactory.getLogger("dev.bindery.wire");

  private final AsyncContext async;
  private final String clientAddress;
  private final AtomicBoolean claimed = new AtomicBoolean();
  private final BoshMetrics metrics;
  private final long arrivalNanos = System.nanoTime();

  HeldRequest(AsyncContext async, String clientAddress) {
    this(async, clientAddress, BoshMetrics.unbound());
  }

  HeldRequest(AsyncContext async, String clientAddress, BoshMetrics metrics) {
    this.async = async;
    this.clientAddress = clientAddress;
    this.metrics = metrics;
    metrics.requestHeld();
  }

  /** When the request arrived ({@link System#nanoTime()}), for relay latency. */
  public long arrivalNanos() {
    return arrivalNanos;
  }

  /** The client's IP address, for logs. */
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
  public boolean respond(Body body, boolean legacy, String contentType) {
    if (legacy && body.isTerminate()) {
      int status = body.condition().map(BindingCondition::legacyHttpStatus).orElse(0);
      if (status != 0) {
        return answer(status, "text/plain; charset=utf-8", new byte[0], body);
      }
    }
    byte[] bytes = BodyWriter.toBytes(body);
    if (WIRE.isTraceEnabled()) {
      WIRE.trace("client={} response: {}", clientAddress, new String(bytes, StandardCharsets.UTF_8));
    }
    return answer(HttpServletResponse.SC_OK,
        contentType == null ? DEFAULT_CONTENT_TYPE : contentType, bytes, body);
  }

  /** Answers with a 200 and {@code content}, unless already answered. Returns false if it was. */
  public boolean complete(String contentType, byte[] content) {
    return complete(HttpServletResponse.SC_OK, contentType, content);
  }

  /** Answers with an HTTP status and {@code content}, unless already answered. */
  public boolean complete(int status, String contentType, byte[] content) {
    return answer(status, contentType, content, null);
  }

  private boolean answer(int status, String contentType, byte[] content, Body body) {
    if (!claim()) {
      return false;
    }
    metrics.requestAnswered(body, status, content.length);
    try {
      HttpServletResponse response = (HttpServletResponse) async.getResponse();
      response.setStatus(status);
      response.setContentType(contentType);
      response.setContentLength(content.length); // §5: Content-Length, never chunked
      ServletOutputStream out = response.getOutputStream();
      out.setWriteListener(new WriteListener() {
        private boolean written;

        @Override
        public void onWritePossible() throws IOException {
          while (out.isReady()) {
            if (written) {
              async.complete();
              return;
            }
            written = true;
            out.write(content);
          }
        }

        @Override
        public void onError(Throwable t) {
          LOG.debug("client={} response not delivered: {}", clientAddress, t.toString());
          async.complete();
        }
      });
    } catch (IOException | IllegalStateException e) {
      // the client went away, or the container already ended the exchange
      LOG.debug("client={} response not delivered: {}", clientAddress, e.toString());
      completeQuietly();
    }
    return true;
  }

  private void completeQuietly() {
    try {
      async.complete();
    } catch (IllegalStateException e) {
      LOG.trace("client={} exchange already complete", clientAddress);
    }
  }
}
