package dev.bindery.server.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.server.Bindery;
import dev.bindery.server.ScriptedXmppServer;
import dev.bindery.server.config.ServerConfig;
import dev.bindery.server.upstream.Endpoint;
import dev.bindery.server.upstream.UpstreamLimits;
import dev.bindery.server.upstream.UpstreamPolicy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Backpressure over WebSocket, both ways, against a scripted XMPP server: a client that stops
 * reading stops Bindery reading the server, and a server that stops reading stops Bindery
 * reading the client; in neither case does what waits in Bindery grow without bound.
 */
class WebSocketBackpressureTest {

  private static final String FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";
  private static final int MAX_BUFFERED = 64 * 1024;
  /** Far more than socket buffers hold on loopback: a flood that finishes was not held back. */
  private static final long FLOOD_BYTES = 512L * 1024 * 1024;
  private static final String STANZA = "<message to='a@localhost' type='chat'><body>"
      + "x".repeat(1000) + "</body></message>";

  private ScriptedXmppServer xmpp;
  private Bindery bindery;
  private WebSocketClient client;

  @BeforeEach
  void start() throws Exception {
    xmpp = new ScriptedXmppServer();
    UpstreamPolicy policy = UpstreamPolicy.plainLoopback(new Endpoint("127.0.0.1", xmpp.port()),
        List.of("localhost"))
        .withLimits(UpstreamLimits.DEFAULTS.withMaxBufferedBytes(MAX_BUFFERED));
    bindery = Bindery.start(ServerConfig.builder().port(0).upstream(policy).build());
    client = new WebSocketClient();
    client.start();
  }

  @AfterEach
  void stop() throws Exception {
    client.stop();
    bindery.close();
    xmpp.close();
  }

  @Test
  void clientThatStopsReadingStopsTheServerFlood() throws Exception {
    Peer peer = new Peer();
    Session session = connect(peer);
    session.sendText("<open xmlns='" + FRAMING + "' to='localhost' version='1.0'/>",
        Callback.NOOP);
    assertThat(peer.messages.poll(10, TimeUnit.SECONDS)).startsWith("<open");
    assertThat(peer.messages.poll(10, TimeUnit.SECONDS)).contains("features");
    peer.reading(false); // the client reads nothing from here on

    ScriptedXmppServer.Connection server = xmpp.connection(0);
    AtomicLong written = new AtomicLong();
    AtomicBoolean finished = new AtomicBoolean();
    Thread flood = daemon(() -> {
      while (written.get() < FLOOD_BYTES) {
        server.send(STANZA.repeat(16));
        written.addAndGet(16L * STANZA.length());
      }
      finished.set(true);
    });
    flood.start();

    long stalled = awaitStalled(written);
    assertThat(finished).isFalse();
    assertThat(stalled).as("bytes the server could write into a client that reads nothing")
        .isLessThan(64L * 1024 * 1024);

    // the client reads again: the flood goes on
    peer.messages.clear();
    peer.reading(true);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (written.get() <= stalled + MAX_BUFFERED && System.nanoTime() < deadline) {
      peer.messages.clear();
      Thread.sleep(20); // polling a counter of another thread
    }
    assertThat(written.get()).isGreaterThan(stalled + MAX_BUFFERED);
  }

  @Test
  void serverThatStopsReadingStopsTheClient() throws Exception {
    Peer peer = new Peer();
    Session session = connect(peer);
    session.sendText("<open xmlns='" + FRAMING + "' to='localhost' version='1.0'/>",
        Callback.NOOP);
    assertThat(peer.messages.poll(10, TimeUnit.SECONDS)).startsWith("<open");
    ScriptedXmppServer.Connection server = xmpp.connection(0);
    server.awaitReceived("<stream:stream");
    server.reading(false);

    AtomicLong sent = new AtomicLong();
    AtomicBoolean finished = new AtomicBoolean();
    String message = STANZA.replace("<message ", "<message xmlns='jabber:client' ");
    Thread flood = daemon(() -> {
      while (sent.get() < FLOOD_BYTES) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        session.sendText(message, Callback.from(() -> done.complete(null),
            done::completeExceptionally));
        done.join();
        sent.addAndGet(message.length());
      }
      finished.set(true);
    });
    flood.start();

    long stalled = awaitStalled(sent);
    assertThat(finished).isFalse();
    assertThat(stalled).as("bytes a client could send towards a server that reads nothing")
        .isLessThan(64L * 1024 * 1024);

    server.reading(true);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (sent.get() <= stalled && System.nanoTime() < deadline) {
      Thread.sleep(20); // polling a counter of another thread
    }
    assertThat(sent.get()).isGreaterThan(stalled);
  }

  private Session connect(Peer peer) throws Exception {
    ClientUpgradeRequest request = new ClientUpgradeRequest();
    request.setSubProtocols("xmpp");
    return client.connect(peer, bindery.webSocketEndpoint(), request).get(10, TimeUnit.SECONDS);
  }

  /** Waits until {@code counter} has not moved for a second, and returns it. */
  private static long awaitStalled(AtomicLong counter) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long last = -1;
    while (System.nanoTime() < deadline) {
      long now = counter.get();
      if (now == last && now > 0) {
        return now;
      }
      last = now;
      Thread.sleep(Duration.ofSeconds(1).toMillis());
    }
    throw new AssertionError("still moving after 30 s: " + counter.get());
  }

  private static Thread daemon(IoAction action) {
    Thread t = new Thread(() -> {
      try {
        action.run();
      } catch (IOException | RuntimeException e) {
        // the connection closed when the test ended
      }
    }, "flood");
    t.setDaemon(true);
    return t;
  }

  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }

  /** A client that reads while the test lets it: it demands each next message itself. */
  public static final class Peer implements Session.Listener {
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private Session session;
    private boolean reading = true;
    private boolean waiting;

    @Override
    public synchronized void onWebSocketOpen(Session session) {
      this.session = session;
      session.demand();
    }

    @Override
    public void onWebSocketText(String message) {
      messages.add(message);
      demandIfReading();
    }

    synchronized void reading(boolean reading) {
      this.reading = reading;
      if (reading && waiting) {
        waiting = false;
        session.demand();
      }
    }

    private synchronized void demandIfReading() {
      if (reading) {
        session.demand();
      } else {
        waiting = true;
      }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, org.eclipse.jetty.websocket.api.Callback c) {
      c.succeed();
    }
  }
}
