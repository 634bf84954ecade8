package dev.bindery.server.ops;

import dev.bindery.client.HttpBoshTransport;
import dev.bindery.protocol.xmpp.Stanza;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Thread-safe. A client that sends much and fast: one BOSH session ({@link SmBoshSession},
 * logged in and bound, without stream management) that, once {@linkplain #start started}, sends
 * an {@code <iq type='result'/>} of a given size to an account that does not exist every few
 * milliseconds, until stopped or until its session ends. Servers drop such a stanza without an
 * answer (no reply to a result, RFC 6120 §8.2.3), so only the direction to the server carries
 * the load. It records the bytes it handed to its session and why and when the session ended.
 */
final class HeavySender implements SmBoshSession.Listener, AutoCloseable {

  private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "heavy-sender");
    t.setDaemon(true);
    return t;
  });

  private final SmBoshSession session;
  private final String stanza;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "heavy-sender-timer");
    t.setDaemon(true);
    return t;
  });
  private final AtomicLong sentBytes = new AtomicLong();
  /** Completed with the cause once the session ends under the client. */
  final CompletableFuture<String> ended = new CompletableFuture<>();
  private volatile long endedAtNanos;

  /** A session through {@code endpoint}; each stanza carries {@code payloadChars} characters. */
  HeavySender(URI endpoint, String domain, int payloadChars) {
    HttpBoshTransport transport = HttpBoshTransport.create(endpoint, HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .executor(POOL), Map.of());
    this.session = new SmBoshSession(transport, POOL, domain, "heavy", false);
    this.stanza = "<iq xmlns='jabber:client' type='result' id='heavy' to='nobody@" + domain
        + "'><data xmlns='urn:bindery:test'>" + "x".repeat(payloadChars) + "</data></iq>";
  }

  /** Logs in and binds; returns once the stream is up. */
  void login(String user, String password) throws IOException, InterruptedException {
    session.authenticate(user, password);
    session.exchange("<iq xmlns='jabber:client' type='set' id='bind'>"
        + "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>",
        s -> s.localName().equals("iq") && Xml.contains(s.xml(), "jid"));
    session.stream(this);
  }

  /** Sends one stanza every {@code periodMillis} until {@link #close} or the session's end. */
  void start(long periodMillis) {
    timer.scheduleAtFixedRate(() -> {
      if (!ended.isDone()) {
        session.send(stanza, false);
        sentBytes.addAndGet(stanza.length());
      }
    }, 0, periodMillis, TimeUnit.MILLISECONDS);
  }

  /** Bytes handed to the session for sending so far. */
  long sentBytes() {
    return sentBytes.get();
  }

  /** When the session ended under the client ({@link System#nanoTime()}), 0 if it has not. */
  long endedAtNanos() {
    return endedAtNanos;
  }

  @Override
  public void received(SmBoshSession from, List<Stanza> elements) {
    // nothing is expected; whatever comes is not counted
  }

  @Override
  public void failed(SmBoshSession from, String cause) {
    endedAtNanos = System.nanoTime();
    ended.complete(cause);
  }

  /** Stops sending and ends the session if it is still up. */
  @Override
  public void close() throws InterruptedException {
    timer.shutdownNow();
    timer.awaitTermination(5, TimeUnit.SECONDS);
    if (!ended.isDone()) {
      session.terminate("<presence xmlns='jabber:client' type='unavailable'/>",
          Duration.ofSeconds(5));
    } else {
      session.close();
    }
  }
}
