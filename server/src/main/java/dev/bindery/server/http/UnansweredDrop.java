package dev.bindery.server.http;

import jakarta.servlet.ServletRequest;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.HTTP2Connection;
import org.eclipse.jetty.http2.HTTP2Stream;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.Callback;

/**
 * Stateless. Ends a request without an answer, the way its HTTP version allows: over HTTP/1.1 the
 * connection is closed (the only way to leave a request unanswered); over HTTP/2 only the
 * request's stream is reset ({@code RST_STREAM} with {@code CANCEL}, RFC 9113 §8.7), since the
 * connection carries other requests, possibly of other clients behind the same proxy.
 */
final class UnansweredDrop {

  private UnansweredDrop() {}

  static void drop(ServletRequest servletRequest) {
    ServletContextRequest request = ServletContextRequest.getServletContextRequest(servletRequest);
    Connection connection = request.getConnectionMetaData().getConnection();
    if (connection instanceof HTTP2Connection h2) {
      // Jetty names an HTTP/2 request by its stream's id
      HTTP2Stream stream = h2.getSession().getStream(Integer.parseInt(request.getId()));
      if (stream != null) {
        stream.reset(new ResetFrame(stream.getId(), ErrorCode.CANCEL_STREAM_ERROR.code),
            Callback.NOOP);
      }
      return;
    }
    connection.getEndPoint().close();
  }
}
