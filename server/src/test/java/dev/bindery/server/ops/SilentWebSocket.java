package dev.bindery.server.ops;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread-safe: one test thread logs in, a daemon thread reads. An XMPP-over-WebSocket client
 * (RFC 7395) on a raw socket that logs in and then vanishes without closing anything: it sends
 * nothing more and answers no ping, as a phone that lost its network would look to the server.
 * It keeps reading, to see what the server sends last and when it closes the connection.
 */
final class SilentWebSocket implements AutoCloseable {

  private static final String FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";
  private static final Duration STEP = Duration.ofSeconds(15);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Socket socket;
  private final OutputStream out;
  private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final AtomicInteger pings = new AtomicInteger();
  private volatile long lastSentNanos = System.nanoTime();
  private volatile long closedNanos;
  private volatile String lastText = "";

  private SilentWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
  }

  /** Opens the WebSocket with {@code Sec-WebSocket-Protocol: xmpp}. */
  static SilentWebSocket connect(int port, String path) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    s.setSoTimeout((int) STEP.toMillis());
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
        + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Protocol: xmpp\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    DataInputStream in = new DataInputStream(s.getInputStream());
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      head.append((char) in.readUnsignedByte());
    }
    if (!head.toString().startsWith("HTTP/1.1 101")) {
      s.close();
      throw new IOException("no upgrade: " + head);
    }
    s.setSoTimeout(0);
    SilentWebSocket ws = new SilentWebSocket(s);
    Thread t = new Thread(() -> ws.read(in), "silent-websocket");
    t.setDaemon(true);
    t.start();
    return ws;
  }

  /** Logs in with SASL PLAIN, binds a resource and sends presence; then it falls silent. */
  void login(String domain, String user, String password, String resource) throws Exception {
    String open = "<open xmlns='" + FRAMING + "' to='" + domain + "' version='1.0'/>";
    send(open);
    await("mechanisms");
    send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>"
        + Base64.getEncoder().encodeToString(("\0" + user + "\0" + password)
        .getBytes(StandardCharsets.UTF_8)) + "</auth>");
    await("<success");
    send(open);
    await("urn:ietf:params:xml:ns:xmpp-bind");
    send("<iq xmlns='jabber:client' type='set' id='bind1'><bind"
        + " xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>" + resource
        + "</resource></bind></iq>");
    await("bind1");
    send("<presence xmlns='jabber:client'/>");
  }

  private void await(String text) throws InterruptedException {
    long deadline = System.nanoTime() + STEP.toNanos();
    while (true) {
      String m = texts.poll(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
      if (m == null) {
        throw new AssertionError("no message with '" + text + "' in " + STEP);
      }
      if (m.contains(text)) {
        return;
      }
    }
  }

  /** Sends one masked text frame. */
  private synchronized void send(String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] mask = new byte[4];
    RANDOM.nextBytes(mask);
    java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
    frame.write(0x81);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else {
      frame.write(0x80 | 126);
      frame.write(payload.length >> 8);
      frame.write(payload.length & 0xff);
    }
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    out.write(frame.toByteArray());
    out.flush();
    lastSentNanos = System.nanoTime();
  }

  /** Reads frames until the connection ends: text is kept, pings counted and never answered. */
  private void read(DataInputStream in) {
    try {
      while (true) {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7f;
        if (length == 126) {
          length = in.readUnsignedShort();
        } else if (length == 127) {
          length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        int opcode = b0 & 0x0f;
        if (opcode == 0x1) {
          String text = new String(payload, StandardCharsets.UTF_8);
          lastText = text;
          texts.add(text);
        } else if (opcode == 0x9) {
          pings.incrementAndGet();
        } else if (opcode == 0x8) {
          break;
        }
      }
    } catch (IOException e) {
      // the end of the stream, or a reset
    }
    closedNanos = System.nanoTime();
    closed.countDown();
    close();
  }

  /** Waits until the server has closed the connection. */
  boolean awaitClosed(Duration wait) throws InterruptedException {
    return closed.await(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** From the client's last message to the close, once closed. */
  Duration silenceBeforeClose() {
    return Duration.ofNanos(closedNanos - lastSentNanos);
  }

  int pingsIgnored() {
    return pings.get();
  }

  /** The last text message from the server, e.g. a stream error and {@code <close/>}. */
  String lastText() {
    return lastText;
  }

  /** Every text message received and not consumed by the login. */
  java.util.List<String> unread() {
    return java.util.List.copyOf(texts);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing is all we wanted
    }
  }
}
