package dev.bindery.server.ops;

import dev.bindery.client.BoshClientConfig;
import dev.bindery.client.BoshException;
import dev.bindery.client.BoshTransport;
import dev.bindery.client.PayloadSession;
import dev.bindery.client.XmlElement;
import dev.bindery.protocol.xmpp.Stanza;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Thread-safe. One BOSH session of an {@link SmBoshClient}: the project's client library carries
 * it ({@link PayloadSession} of bindery-client: the request window, one request held, resending
 * a request that failed on the network with the same rid, §14.3), while this class writes the
 * XMPP, so the test client can do what the library's own login does not: XEP-0198 {@code
 * <enable/>} and {@code <resume/>}. Logging in is synchronous ({@link #authenticate}, {@link
 * #exchange}); then {@link #stream} hands every element received to a {@link Listener}, which
 * also hears, once, why the session ended (a terminal condition, or a request that failed for
 * good).
 */
final class SmBoshSession {

  /** What a streaming session reports; called on the session's executor, one call at a time. */
  interface Listener {
    /** Elements of a response, in order. */
    void received(SmBoshSession from, List<Stanza> elements);

    /** The session is over; called once, and never after {@link #close}. */
    void failed(SmBoshSession from, String cause);
  }

  /** Thrown when the session ends, or a step gets no answer, while logging in. */
  static final class SessionOver extends IOException {
    SessionOver(String cause) {
      super(cause);
    }
  }

  /** Seconds a request may be held: short, so a session left idle ends soon at the server. */
  static final int WAIT = 10;
  /** How long a login step may wait for the server's answer. */
  static final Duration STEP_TIMEOUT = Duration.ofSeconds(WAIT + 5);
  private static final String NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
  /** Queued for a login step to see at once that the session ended. */
  private static final Stanza END = new Stanza("urn:bindery:test", "session-ended",
      "<session-ended xmlns='urn:bindery:test'/>");

  private final String name;
  private final boolean requestAcks;
  private final PayloadSession session;
  private final AtomicBoolean over = new AtomicBoolean();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  /** What came in before {@link #stream}: the login steps take from it, the listener the rest. */
  private final BlockingQueue<Stanza> arrived = new LinkedBlockingQueue<>();
  private final CompletableFuture<String> ended = new CompletableFuture<>();
  // written and read on the session's executor only
  private Listener listener;

  /**
   * A session through {@code transport} to {@code domain}, its work on {@code executor}. With
   * {@code requestAcks}, each stanza sent is followed by {@code <r/>} (XEP-0198).
   */
  SmBoshSession(BoshTransport transport, Executor executor, String domain, String name,
      boolean requestAcks) {
    this.name = name;
    this.requestAcks = requestAcks;
    // the session's domain and BOSH parameters; this class logs in itself, so no credentials
    BoshClientConfig config = BoshClientConfig.of(domain, name, "").withWaitSeconds(WAIT);
    this.session = PayloadSession.create(transport, executor, config, new Events());
  }

  String sid() {
    return session.sid();
  }

  /** The node the session lives on: its sid's prefix (node.name), or "?" before creation. */
  String node() {
    String s = session.sid();
    return s == null || s.indexOf('.') < 0 ? "?" : s.substring(0, s.indexOf('.'));
  }

  /** Creates the session, authenticates with SASL PLAIN and restarts the stream (XEP-0206 §5). */
  void authenticate(String user, String password) throws IOException, InterruptedException {
    session.open();
    await(s -> s.localName().equals("features"));
    String auth = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password)
        .getBytes(StandardCharsets.UTF_8));
    Stanza sasl = exchange("<auth xmlns='" + NS_SASL + "' mechanism='PLAIN'>" + auth + "</auth>",
        s -> s.localName().equals("success") || s.localName().equals("failure"));
    if (!sasl.localName().equals("success")) {
      throw new SessionOver("SASL: " + sasl.xml());
    }
    session.restart();
    await(s -> s.localName().equals("features"));
  }

  /**
   * Sends {@code payload} and returns the first element {@code wanted} accepts that came after
   * it. Elements before it are dropped: while logging in nothing else is expected. What comes
   * after it goes to the listener once {@link #stream} starts.
   */
  Stanza exchange(String payload, Predicate<Stanza> wanted)
      throws IOException, InterruptedException {
    session.send(payload);
    return await(wanted);
  }

  private Stanza await(Predicate<Stanza> wanted) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
    while (true) {
      Stanza next = arrived.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (next != null && next != END && wanted.test(next)) {
        return next;
      }
      if (next == null || next == END) {
        String cause = ended.getNow(null);
        throw new SessionOver(cause != null ? "session ended while logging in: " + cause
            : "nothing awaited came in " + STEP_TIMEOUT);
      }
    }
  }

  /**
   * From now on elements go to {@code to}: first those that came after the last login step, then
   * each response's as it comes.
   */
  void stream(Listener to) {
    session.execute(() -> {
      listener = to;
      List<Stanza> waiting = new ArrayList<>();
      arrived.drainTo(waiting);
      waiting.remove(END);
      if (!waiting.isEmpty() && !over.get()) {
        to.received(this, waiting);
      }
      String cause = ended.getNow(null);
      if (cause != null) {
        fail(cause);
      }
    });
  }

  /** Queues an element; {@code stanza}: the server counts it (and, with acks, is asked to). */
  void send(String xml, boolean stanza) {
    session.send(xml);
    if (stanza && requestAcks) {
      session.send(StreamManagement.REQUEST);
    }
  }

  /**
   * Ends the session with {@code type='terminate'} carrying {@code payload}, after what was
   * queued before; returns once the answer came or {@code timeout} passed.
   */
  void terminate(String payload, Duration timeout) throws InterruptedException {
    over.set(true); // the session's end is no failure
    session.terminate(payload);
    try {
      terminated.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // the session is gone either way; the caller asserts on deliveries, not on this
    } finally {
      close();
    }
  }

  /** Stops the session here without ending it at the server; no more reports. */
  void close() {
    over.set(true);
    session.abandon();
  }

  /** On the executor: reports the end once, unless {@link #close} came first. */
  private void fail(String cause) {
    Listener to = listener;
    if (to != null && over.compareAndSet(false, true)) {
      to.failed(this, cause);
    }
  }

  @Override
  public String toString() {
    return "SmBoshSession[" + name + " on " + node() + "]";
  }

  /** The library's callbacks, on the session's executor. */
  private final class Events implements PayloadSession.Listener {

    @Override
    public void onPayload(XmlElement payload) {
      Stanza stanza = new Stanza(payload.namespace(), payload.name(), payload.toXml());
      Listener to = listener;
      if (to == null) {
        arrived.add(stanza);
      } else {
        // even after the end was seen: the listener decides what still counts
        to.received(SmBoshSession.this, List.of(stanza));
      }
    }

    @Override
    public void onClosed(BoshException cause) {
      terminated.complete(null);
      String why = cause == null ? "terminated" : cause.getMessage();
      ended.complete(why);
      if (listener == null) {
        arrived.add(END); // wakes a login step
      }
      fail(why);
    }
  }
}
