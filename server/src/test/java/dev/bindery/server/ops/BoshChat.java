package dev.bindery.server.ops;

import dev.bindery.client.BoshClient;
import dev.bindery.client.BoshClientConfig;
import dev.bindery.client.BoshException;
import dev.bindery.client.BoshTransport;
import dev.bindery.client.ChatMessage;
import dev.bindery.client.HttpBoshTransport;
import dev.bindery.client.RequestBody;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyParseException;
import dev.bindery.protocol.body.BodyParser;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Thread-safe. An XMPP-over-BOSH chat user for the deploy tests: the project's BOSH client
 * ({@link BoshClient} of bindery-client) over its JDK {@link HttpBoshTransport}, with a cookie
 * jar of its own (so a test sees any affinity cookie a load balancer sets). It logs in with SASL
 * PLAIN, binds, keeps one long-poll out and sends messages; every HTTP exchange passes through
 * this class, which records each one that failed and the terminal condition if the session ends,
 * so a test sees what came over the wire.
 */
final class BoshChat implements AutoCloseable {

  /** The BOSH namespace, as an attribute to paste into a hand-written request. */
  static final String NS = "xmlns='http://jabber.org/protocol/httpbind'";
  static final int WAIT = 10;
  /** How long logging in, or logging out, may take. */
  static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
  /** Longer than {@link #WAIT}: a held request is never cut short by the client. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(WAIT + 20);
  /**
   * The session creation request of {@link #create()}, which logs no one in: only the domain
   * and the BOSH parameters of this config are used.
   */
  private static final BoshClientConfig SESSION_ONLY =
      BoshClientConfig.of(Prosody.DOMAIN, "session-only", "").withWaitSeconds(WAIT);

  /** Runs the HTTP completions and the clients' work of every chat: daemon threads. */
  private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "bosh-chat");
    t.setDaemon(true);
    return t;
  });

  private final CookieManager cookies = new CookieManager();
  private final BodyParser parser = new BodyParser();
  private final HttpBoshTransport http;
  private final BlockingQueue<ChatMessage> received = new LinkedBlockingQueue<>();
  /** Every exchange that did not bring a 200 with a BOSH body: the test asserts there are none. */
  final List<String> failures = new CopyOnWriteArrayList<>();
  /** Completed with the terminate body once the session ends. */
  final CompletableFuture<Body> terminated = new CompletableFuture<>();
  private volatile BoshClient client;
  private volatile String sid;
  private volatile String jid;
  private volatile boolean closed;

  BoshChat(URI endpoint) {
    this.http = HttpBoshTransport.create(endpoint, HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1).cookieHandler(cookies)
        .connectTimeout(Duration.ofSeconds(5)).executor(POOL), Map.of());
  }

  String sid() {
    return sid;
  }

  String jid() {
    return jid;
  }

  /** The cookies the endpoint set. */
  List<HttpCookie> cookies() {
    return cookies.getCookieStore().getCookies();
  }

  /** Creates a session only, logging no one in: the connection manager's first body. */
  Body create() throws Exception {
    long rid = ThreadLocalRandom.current().nextLong(1, 1L << 52);
    String entity = observed().post(RequestBody.sessionCreation(rid, SESSION_ONLY).toXml(),
        REQUEST_TIMEOUT).get(REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    return parser.parse(entity.getBytes(StandardCharsets.UTF_8));
  }

  /** Logs in and binds a resource; the client then keeps a long-poll out. Returns the full JID. */
  String login(String user, String password) throws Exception {
    BoshClientConfig config = BoshClientConfig.of(Prosody.DOMAIN, user, password)
        .withWaitSeconds(WAIT)
        .withResource("ops-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    client = BoshClient.create(observed(), POOL, config, received::add);
    try {
      jid = client.connect().get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError(user + " did not log in; failures: " + failures, e);
    }
    return jid;
  }

  /** Sends a chat message; returns once it is queued for sending. */
  void message(String to, String text) throws Exception {
    client.sendMessage(to, text).get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Waits for a message whose body contains {@code text}. */
  ChatMessage awaitMessage(String text, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      long left = deadline - System.nanoTime();
      ChatMessage m = received.poll(Math.max(left, 0), TimeUnit.NANOSECONDS);
      if (m == null) {
        throw new AssertionError("no message with '" + text + "' in " + seconds + " s; failures: "
            + failures + "; terminated: " + terminated.getNow(null));
      }
      if (m.body().contains(text)) {
        return m;
      }
    }
  }

  /** Ends the session: unavailable presence in a terminate request; returns once it is over. */
  void logout() {
    try {
      client.disconnect().get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      failures.add("logout: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failures.add("logout interrupted");
    }
  }

  /** Stops the client without ending the session: no more requests go out. */
  @Override
  public void close() {
    closed = true;
  }

  /**
   * The transport as the client sees it: each exchange is observed (its failure recorded, the
   * session's sid and any terminate body kept), and after {@link #close} nothing is sent.
   */
  private BoshTransport observed() {
    return (body, timeout) -> {
      if (closed) {
        return CompletableFuture.failedFuture(new BoshException(BoshException.Kind.TRANSPORT,
            null, "closed by the test"));
      }
      return http.post(body, timeout).whenComplete(this::observe);
    };
  }

  private void observe(String entity, Throwable error) {
    if (error != null) {
      Throwable cause = error instanceof CompletionException && error.getCause() != null
          ? error.getCause() : error;
      failures.add(cause.toString());
      return;
    }
    Body body;
    try {
      body = parser.parse(entity.getBytes(StandardCharsets.UTF_8));
    } catch (BodyParseException e) {
      failures.add("not a BOSH body: " + entity);
      return;
    }
    if (sid == null) {
      body.sid().ifPresent(s -> sid = s);
    }
    if (body.isTerminate()) {
      terminated.complete(body);
    }
  }
}
