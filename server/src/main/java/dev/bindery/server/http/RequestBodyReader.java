package dev.bindery.server.http;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Confined to the container's callbacks for one request, which never overlap. Reads a request
 * body without blocking, up to a limit, then hands the bytes on.
 */
final class RequestBodyReader implements ReadListener {

  /**
   * The most a request's buffer holds before its bytes arrive, whatever its Content-Length
   * says: beyond, it grows with the bytes read. A client that declares a large body and sends
   * it slowly, or never, then costs what it sent, not what it announced.
   */
  static final int FIRST_BUFFER_BYTES = 16 * 1024;

  /** What becomes of the bytes. */
  interface Sink {
    void body(byte[] bytes, int length);

    void tooLarge(long length);

    void failed(Throwable cause);
  }

  private final ServletInputStream in;
  private final int maxBytes;
  private final Sink sink;
  private byte[] buffer;
  private int length;
  private boolean done;

  RequestBodyReader(ServletInputStream in, long contentLength, int maxBytes, Sink sink) {
    this.in = in;
    this.maxBytes = maxBytes;
    this.sink = sink;
    // one byte over the declared length, so reading a small body to the end never grows the
    // buffer; a large one grows as it comes
    this.buffer = new byte[(int) Math.min(Math.max(Math.min(contentLength + 1,
        FIRST_BUFFER_BYTES), 512), maxBytes + 1L)];
  }

  /** The buffer's size now. */
  int capacity() {
    return buffer.length;
  }

  @Override
  public void onDataAvailable() throws IOException {
    while (!done && in.isReady()) {
      if (length == buffer.length) {
        if (length > maxBytes) {
          done = true;
          sink.tooLarge(length);
          return;
        }
        buffer = Arrays.copyOf(buffer, (int) Math.min(buffer.length * 2L, maxBytes + 1L));
      }
      int n = in.read(buffer, length, buffer.length - length);
      if (n < 0) {
        return;
      }
      length += n;
      if (length > maxBytes) {
        done = true;
        sink.tooLarge(length);
        return;
      }
    }
  }

  @Override
  public void onAllDataRead() {
    if (!done) {
      done = true;
      sink.body(buffer, length);
    }
  }

  @Override
  public void onError(Throwable t) {
    if (!done) {
      done = true;
      sink.failed(t);
    }
  }
}
