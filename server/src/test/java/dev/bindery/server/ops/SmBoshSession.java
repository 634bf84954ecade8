package dev.bindery.server.ops;

import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyParseException;
import dev.bindery.protocol.body.BodyParser;
import dev.bindery.protocol.xmpp.Stanza;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Thread-safe. One BOSH session (XEP-0124/0206) of a test client, raw so the test sees what
 * came over the wire. Logging in is synchronous ({@link #post}, {@link #await}); then {@link
 * #stream} keeps one request held (the poll thread) while a writer thread sends what was queued
 * with {@link #send}, one request at a time: never more than two requests out, as {@code
 * hold='1'} allows. A request that fails on the network is sent again with the same rid
 * (§14.3). The {@link Listener} gets every element of every response, and once the session is
 * over (a terminal condition, or a request that failed for good) hears why, once.
 */
final class BoshTransport {

  /** What a streaming transport reports; called on its threads. */
  interface Listener {
    /** The elements of one response, in order. */
    void received(BoshTransport from, List<Stanza> elements);

    /** The session is over; called once, and never after {@link #close}. */
    void failed(BoshTransport from, String cause);
  }

  /** An element awaited while logging in, and what came after it in the same response. */
  record Reply(Stanza element, List<Stanza> after) {}

  /** Thrown when the session ends, or a request fails for good, while logging in. */
  static final class SessionOver extends IOException {
    SessionOver(String cause) {
      super(cause);
    }
  }

  static final String NS = "xmlns='http://jabber.org/protocol/httpbind'";
  static final String XBOSH = "xmlns:xmpp='urn:xmpp:xbosh'";
  /** Seconds a request may be held: short, so an idle poll notices {@link #close} soon. */
  static final int WAIT = 10;
  /** Sends of one rid after a network error (§14.3) before the session counts as lost. */
  static final int ATTEMPTS = 3;
  /** How long a login step may wait for the server's answer. */
  static final Duration STEP_TIMEOUT = Duration.ofSeconds(WAIT + 5);

  /** A queued element and whether it is a stanza (which the server counts and acknowledges). */
  private record Outgoing(String xml, boolean stanza) {}

  private static final Outgoing TERMINATE = new Outgoing("", false);

  private final HttpClient http;
  private final URI endpoint;
  private final String domain;
  private final String name;
  private final BodyParser parser = new BodyParser();
  private final AtomicLong rid = new AtomicLong(1_000 + (long) (Math.random() * 1_000_000));
  private final AtomicBoolean over = new AtomicBoolean();
  private final BlockingQueue<Outgoing> outbound = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private volatile String sid;
  private volatile Listener listener;
  private volatile boolean requestAcks;

  BoshTransport(HttpClient http, URI endpoint, String domain, String name) {
    this.http = http;
    this.endpoint = endpoint;
    this.domain = domain;
    this.name = name;
  }

  String sid() {
    return sid;
  }

  /** The node the session lives on: its sid's prefix (node.name), or "?" before creation. */
  String node() {
    String s = sid;
    return s == null || s.indexOf('.') < 0 ? "?" : s.substring(0, s.indexOf('.'));
  }

  /** Creates the session; the creation response. */
  private Body create() throws IOException, InterruptedException {
    Body created = post("<body rid='" + rid.getAndIncrement() + "' to='" + domain + "'"
        + " xml:lang='en' wait='" + WAIT + "' hold='1' ver='1.11' xmpp:version='1.0' " + NS
        + " " + XBOSH + "/>");
    sid = created.sid().orElseThrow(() -> new SessionOver("no session: " + created));
    return created;
  }

  /** Creates the session, authenticates with SASL PLAIN and restarts the stream (XEP-0206 §5). */
  void authenticate(String user, String password) throws IOException, InterruptedException {
    await(create(), s -> s.localName().equals("features"));
    String auth = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password)
        .getBytes(StandardCharsets.UTF_8));
    Reply sasl = await(send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>"
        + auth + "</auth>"),
        s -> s.localName().equals("success") || s.localName().equals("failure"));
    if (!sasl.element().localName().equals("success")) {
      throw new SessionOver("SASL: " + sasl.element().xml());
    }
    await(restart(), s -> s.localName().equals("features"));
  }

  /** Posts {@code payloads} in the next body; the response. */
  Body send(String payloads) throws IOException, InterruptedException {
    return post("<body rid='" + rid.getAndIncrement() + "' sid='" + sid + "' " + NS + ">"
        + payloads + "</body>");
  }

  /** Restarts the stream after SASL (XEP-0206 §5); the response. */
  private Body restart() throws IOException, InterruptedException {
    return post("<body rid='" + rid.getAndIncrement() + "' sid='" + sid + "' to='" + domain
        + "' xml:lang='en' xmpp:restart='true' " + NS + " " + XBOSH + "/>");
  }

  /**
   * The first element {@code wanted} accepts, in {@code first} or in the responses to empty
   * polls after it, with what followed it in its response. Elements before it are ignored: while
   * logging in nothing else is expected.
   */
  Reply await(Body first, Predicate<Stanza> wanted) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
    Body body = first;
    while (true) {
      List<Stanza> payloads = body.payloads();
      for (int i = 0; i < payloads.size(); i++) {
        if (wanted.test(payloads.get(i))) {
          return new Reply(payloads.get(i), payloads.subList(i + 1, payloads.size()));
        }
      }
      if (body.isTerminate()) {
        throw new SessionOver("session ended while logging in: " + body);
      }
      if (System.nanoTime() > deadline) {
        throw new SessionOver("nothing awaited came in " + STEP_TIMEOUT);
      }
      body = send(""); // an empty poll: the server's answer comes on a held request
    }
  }

  /**
   * Starts the poll and writer threads: from now on responses go to {@code to}. With {@code
   * requestAcks}, a request that carries stanzas ends with {@code <r/>} (XEP-0198).
   */
  void stream(Listener to, boolean requestAcks) {
    this.listener = to;
    this.requestAcks = requestAcks;
    start(this::pollLoop, "poll");
    start(this::writeLoop, "write");
  }

  /** Queues an element for the writer thread; {@code stanza}: the server counts it. */
  void send(String xml, boolean stanza) {
    outbound.add(new Outgoing(xml, stanza));
  }

  /**
   * Ends the session with {@code type='terminate'} carrying {@code payload}, after what was
   * queued before; returns once the answer came or {@code timeout} passed.
   */
  void terminate(String payload, Duration timeout) throws InterruptedException {
    send(payload, false);
    outbound.add(TERMINATE);
    try {
      terminated.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // the session is gone either way; the caller asserts on deliveries, not on this
    } finally {
      close();
    }
  }

  /** Stops the threads without ending the session; no more reports. */
  void close() {
    over.set(true);
  }

  private void start(Runnable loop, String role) {
    Thread t = new Thread(loop, "bosh-" + role + "-" + name);
    t.setDaemon(true);
    t.start();
  }

  private void pollLoop() {
    while (!over.get()) {
      Body body;
      try {
        body = send("");
      } catch (IOException | InterruptedException e) {
        fail("poll: " + e);
        return;
      }
      deliver(body);
    }
  }

  private void writeLoop() {
    while (!over.get()) {
      List<Outgoing> batch = new ArrayList<>();
      try {
        Outgoing first = outbound.poll(1, TimeUnit.SECONDS); // to notice close() in time
        if (first == null) {
          continue;
        }
        batch.add(first);
        outbound.drainTo(batch);
        StringBuilder xml = new StringBuilder();
        boolean stanzas = false;
        boolean terminate = false;
        for (Outgoing o : batch) {
          xml.append(o.xml());
          stanzas |= o.stanza();
          terminate |= o == TERMINATE;
        }
        if (stanzas && requestAcks) {
          xml.append(StreamManagement.REQUEST);
        }
        if (terminate) {
          over.set(true); // the session's end is no failure
          post("<body rid='" + rid.getAndIncrement() + "' sid='" + sid + "' type='terminate' "
              + NS + ">" + xml + "</body>");
          terminated.complete(null);
          return;
        }
        deliver(send(xml.toString()));
      } catch (IOException | InterruptedException e) {
        terminated.completeExceptionally(e);
        fail("write: " + e);
        return;
      }
    }
  }

  private void deliver(Body body) {
    Listener to = listener;
    if (to == null) {
      return;
    }
    // even after the other thread saw the end: the listener decides what still counts
    if (!body.payloads().isEmpty()) {
      to.received(this, body.payloads());
    }
    if (body.isTerminate()) {
      fail("terminate " + body.condition().map(Object::toString).orElse("(no condition)"));
    }
  }

  private void fail(String cause) {
    Listener to = listener;
    if (over.compareAndSet(false, true) && to != null) {
      to.failed(this, cause);
    }
  }

  /**
   * Posts a body and parses the answer. A network error sends the same body (same rid) again,
   * up to {@link #ATTEMPTS} times in all (§14.3); an answer that is no BOSH body ends the session.
   */
  private Body post(String xml) throws IOException, InterruptedException {
    HttpResponse<String> response = null;
    for (int attempt = 1; response == null; attempt++) {
      try {
        response = http.send(HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(WAIT + 20))
            .header("Content-Type", "text/xml; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(xml)).build(),
            HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        if (attempt == ATTEMPTS) {
          throw new SessionOver("request failed " + ATTEMPTS + " times: " + e);
        }
      }
    }
    try {
      return parser.parse(response.body().getBytes(StandardCharsets.UTF_8));
    } catch (BodyParseException e) {
      throw new SessionOver("HTTP " + response.statusCode() + ", not a BOSH body: "
          + response.body());
    }
  }
}
