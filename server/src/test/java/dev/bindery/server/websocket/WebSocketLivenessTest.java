package dev.bindery.server.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.server.Bindery;
import dev.bindery.server.ScriptedXmppServer;
import dev.bindery.server.config.ServerConfig;
import dev.bindery.server.config.WebSocketConfig;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that stops answering (no message, no pong; the connection still open, as when a
 * phone loses its network) is found by Bindery's pings: after {@code websocket.idle-timeout} it
 * gets {@code connection-timeout}, and its server stream closes, so the server sees the user go.
 * The client here is a raw socket, so that nothing answers the pings for it.
 */
class WebSocketLivenessTest {

  private static final int OPCODE_TEXT = 0x1;
  private static final int OPCODE_CLOSE = 0x8;
  private static final int OPCODE_PING = 0x9;

  private ScriptedXmppServer xmpp;
  private Bindery bindery;

  @BeforeEach
  void start() throws Exception {
    xmpp = new ScriptedXmppServer();
    bindery = Bindery.start(ServerConfig.builder().port(0).upstream("127.0.0.1", xmpp.port())
        .webSocket(new WebSocketConfig(true, WebSocketConfig.DEFAULT_PATH,
            Duration.ofSeconds(1), Duration.ofSeconds(3)))
        .build());
  }

  @AfterEach
  void stop() throws Exception {
    bindery.close();
    xmpp.close();
  }

  @Test
  void silentClientIsPingedThenTimedOutAndItsServerStreamCloses() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", bindery.port())) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      out.write(("GET " + WebSocketConfig.DEFAULT_PATH + " HTTP/1.1\r\n"
          + "Host: 127.0.0.1:" + bindery.port() + "\r\n"
          + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + "Sec-WebSocket-Protocol: xmpp\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      assertThat(readHeaders(in)).startsWith("HTTP/1.1 101");
      sendText(out, "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='localhost'"
          + " version='1.0'/>");
      ScriptedXmppServer.Connection server = xmpp.connection(0);
      server.awaitReceived("<stream:stream");

      // from here the client reads but never answers: no message, no pong
      long start = System.nanoTime();
      List<Integer> opcodes = new ArrayList<>();
      StringBuilder text = new StringBuilder();
      readFrames(in, opcodes, text);

      assertThat(opcodes).as("pings before the timeout").contains(OPCODE_PING);
      assertThat(text.toString()).contains("<connection-timeout");
      assertThat(opcodes).contains(OPCODE_CLOSE);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("found silent")
          .isLessThan(Duration.ofSeconds(15));
      // the server's stream ended with the client: it sees the user go offline
      assertThat(server.awaitClosed(Duration.ofSeconds(10))).isTrue();
      assertThat(server.received()).contains("</stream:stream>");
    }
  }

  /** Reads frames until a close frame or the end of the connection. */
  private static void readFrames(DataInputStream in, List<Integer> opcodes, StringBuilder text)
      throws IOException {
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
        opcodes.add(opcode);
        if (opcode == OPCODE_TEXT) {
          text.append(new String(payload, StandardCharsets.UTF_8)).append('\n');
        } else if (opcode == OPCODE_CLOSE) {
          return;
        }
      }
    } catch (EOFException | SocketTimeoutException e) {
      // the connection ended (or nothing came): the assertions say which
    }
  }

  private static String readHeaders(InputStream in) throws IOException {
    ByteArrayOutputStream headers = new ByteArrayOutputStream();
    while (!headers.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      headers.write(b);
    }
    return headers.toString(StandardCharsets.US_ASCII);
  }

  /** One masked text frame (RFC 6455 §5.3: a client masks what it sends). */
  private static void sendText(OutputStream out, String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] mask = {0x12, 0x34, 0x56, 0x78};
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0x80 | OPCODE_TEXT);
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
  }
}
