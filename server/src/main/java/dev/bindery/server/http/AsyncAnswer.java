package dev.bindery.server.http;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.ee10.servlet.HttpOutput;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stateless. Writes a whole answer to a suspended request without blocking, then completes it.
 *
 * <p>Every answer on the BOSH listener goes this way: Jetty runs its requests on the threads that
 * read them ({@link NonBlockingServletContext}) and resumes connections on the sessions' event
 * loops ({@link HttpThreadPool}), so a write that waited for a client to read would stall every
 * other connection on that thread.
 */
final class AsyncAnswer {

  private static final Logger LOG = LoggerFactory.getLogger(AsyncAnswer.class);

  private AsyncAnswer() {}

  /**
   * Sends {@code content} with {@code status}; other headers are set by the caller beforehand.
   *
   * @param contentEncoding the coding {@code content} is in, or null
   * @param vary            the request headers the answer depends on, or null
   * @param who             names the client in logs
   */
  static void send(AsyncContext async, int status, String contentType, String contentEncoding,
      String vary, byte[] content, String who) {
    try {
      HttpServletResponse response = (HttpServletResponse) async.getResponse();
      response.setStatus(status);
      if (contentType != null) {
        response.setContentType(contentType);
      }
      if (contentEncoding != null) {
        response.setHeader("Content-Encoding", contentEncoding);
      }
      if (vary != null) {
        response.addHeader("Vary", vary);
      }
      response.setContentLength(content.length); // XEP-0124 §5: Content-Length, never chunked
      // One asynchronous write from the calling thread. A WriteListener would cost a hand-off:
      // Jetty dispatches its first onWritePossible to a pool thread.
      HttpOutput out = (HttpOutput) response.getOutputStream();
      out.sendContent(ByteBuffer.wrap(content), Callback.from(InvocationType.NON_BLOCKING,
          () -> complete(async, who), failure -> {
            LOG.debug("client={} response not delivered: {}", who, failure.toString());
            complete(async, who);
          }));
    } catch (IOException | IllegalStateException | NullPointerException e) {
      // The client went away, or the container ended the exchange (a closed connection, a reset
      // HTTP/2 stream) between the claim and this write: Jetty's AsyncContext then throws
      // IllegalStateException, or NullPointerException once its async event is gone.
      LOG.debug("client={} response not delivered: {}", who, e.toString());
      complete(async, who);
    }
  }

  /** Completes the exchange unless the container already has. */
  static void complete(AsyncContext async, String who) {
    try {
      async.complete();
    } catch (IllegalStateException | NullPointerException e) {
      LOG.trace("client={} exchange already complete", who);
    }
  }
}
