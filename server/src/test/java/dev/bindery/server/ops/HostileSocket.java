package dev.bindery.server.ops;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Thread-safe: writes are serialized, what came back is guarded by this object. One raw TCP
 * connection to Bindery's HTTP listener that a test writes to as a broken or hostile client
 * would: slowly, partly, or not at all. Once {@link #startReading() reading}, a daemon thread
 * keeps what comes back (a response's status line and body) and the moment the connection
 * ended (end of stream or reset), counted from its opening. A client that has stopped reading
 * is one that has not started yet.
 */
final class HostileSocket implements AutoCloseable {

  private final Socket socket;
  private final OutputStream out;
  private final long openedNanos = System.nanoTime();
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private final CountDownLatch ended = new CountDownLatch(1);
  private final Object writing = new Object();
  private volatile long endedNanos;
  private volatile boolean reading;

  private HostileSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
  }

  /** Connects to {@code 127.0.0.1:port}; nothing is written or read yet. */
  static HostileSocket open(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    return new HostileSocket(s);
  }

  /** Writes {@code bytes}; false if the connection is gone (which then counts as ended). */
  boolean write(byte[] bytes) {
    synchronized (writing) {
      try {
        out.write(bytes);
        out.flush();
        return true;
      } catch (IOException e) {
        end();
        return false;
      }
    }
  }

  boolean write(String text) {
    return write(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Starts the reader thread, once. */
  synchronized void startReading() {
    if (reading) {
      return;
    }
    reading = true;
    Thread t = new Thread(this::read, "hostile-socket-reader");
    t.setDaemon(true);
    t.start();
  }

  private void read() {
    byte[] buffer = new byte[8192];
    try {
      InputStream in = socket.getInputStream();
      for (int n; (n = in.read(buffer)) >= 0; ) {
        synchronized (this) {
          received.write(buffer, 0, n);
        }
      }
    } catch (IOException e) {
      // a reset, or our own close: either way the connection is over
    }
    end();
    // as any client that reads to the end: Bindery may have only shut down its output (a FIN)
    // and keep its descriptor until the client closes too
    close();
  }

  private void end() {
    if (ended.getCount() > 0) {
      endedNanos = System.nanoTime();
      ended.countDown();
    }
  }

  /** Waits until the connection ends; true if it did within {@code wait}. */
  boolean awaitEnd(Duration wait) throws InterruptedException {
    startReading();
    return ended.await(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  boolean ended() {
    return ended.getCount() == 0;
  }

  /** How long after opening the connection ended, or null while it lasts. */
  Duration endedAfter() {
    return ended() ? Duration.ofNanos(endedNanos - openedNanos) : null;
  }

  /** What came back so far, as ISO-8859-1 text. */
  synchronized String response() {
    return received.toString(StandardCharsets.ISO_8859_1);
  }

  /** "HTTP 200 item-not-found", "HTTP 400", or "nothing" when no response came back. */
  String answer() {
    return answerOf(response());
  }

  /** A raw HTTP response as "HTTP 200 CONDITION", "HTTP 200 empty", "HTTP 4xx"... */
  static String answerOf(String response) {
    if (response.isEmpty()) {
      return "nothing";
    }
    String[] status = response.split("\r\n", 2)[0].split(" ");
    if (status.length < 2 || !status[0].startsWith("HTTP/")) {
      return "garbage";
    }
    int start = response.indexOf("\r\n\r\n");
    String body = start < 0 ? "" : response.substring(start + 4);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("condition=['\"]([a-z-]+)['\"]")
        .matcher(body);
    String what = m.find() ? m.group(1) : body.contains("<body") ? "empty body" : "";
    return ("HTTP " + status[1] + " " + what).trim();
  }

  /** Closes our side (a FIN): the client went away cleanly. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing is all we wanted
    }
  }
}
