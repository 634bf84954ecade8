package dev.bindery.server.ops;

import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyParser;
import dev.bindery.protocol.xmpp.Stanza;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Thread-safe. A minimal XMPP-over-BOSH client for the deploy tests, with its own cookie jar (so
 * a test sees any affinity cookie a load balancer sets): logs in with SASL PLAIN, binds, keeps
 * one long-poll out, sends messages, and records every HTTP failure and the terminal condition
 * if the session ends. Deliberately raw so a test sees exactly what came over the wire.
 */
final class BoshChat implements AutoCloseable {

  static final String NS = "xmlns='http://jabber.org/protocol/httpbind'";
  static final String XBOSH = "xmlns:xmpp='urn:xmpp:xbosh'";
  static final int WAIT = 10;

  private final URI endpoint;
  private final HttpClient http;
  private final CookieManager cookies = new CookieManager();
  private final BodyParser parser = new BodyParser();
  private final AtomicLong rid = new AtomicLong(1_000 + (long) (Math.random() * 100_000));
  private final BlockingQueue<Stanza> received = new LinkedBlockingQueue<>();
  /** Every request that did not get a 200 with a BOSH body: the test asserts there are none. */
  final List<String> failures = new CopyOnWriteArrayList<>();
  /** Completed with the terminate body once the session ends. */
  final CompletableFuture<Body> terminated = new CompletableFuture<>();
  private volatile String sid;
  private volatile String jid;
  private volatile boolean polling;

  BoshChat(URI endpoint) {
    this(endpoint, HttpClient.newBuilder());
  }

  BoshChat(URI endpoint, HttpClient.Builder builder) {
    this.endpoint = endpoint;
    this.http = builder.version(HttpClient.Version.HTTP_1_1).cookieHandler(cookies)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  String sid() {
    return sid;
  }

  String jid() {
    return jid;
  }

  /** The cookies the endpoint set. */
  List<java.net.HttpCookie> cookies() {
    return cookies.getCookieStore().getCookies();
  }

  /** Creates the session only: the first body the connection manager answered. */
  Body create() throws Exception {
    Body created = post("<body rid='" + rid.getAndIncrement() + "' to='" + Prosody.DOMAIN + "'"
        + " xml:lang='en' wait='" + WAIT + "' hold='1' ver='1.11' xmpp:version='1.0' " + NS
        + " " + XBOSH + "/>");
    sid = created.sid().orElse(null);
    return created;
  }

  /** Logs in and binds a resource; starts the long-poll. Returns the full JID. */
  String login(String user, String password) throws Exception {
    Body created = create();
    if (sid == null) {
      throw new AssertionError("no session: " + created);
    }
    awaitElement(created, "mechanisms");
    String auth = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password)
        .getBytes(StandardCharsets.UTF_8));
    awaitElement(send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>"
        + auth + "</auth>"), "success");
    awaitElement(post("<body rid='" + rid.getAndIncrement() + "' sid='" + sid + "' to='"
        + Prosody.DOMAIN + "' xml:lang='en' xmpp:restart='true' " + NS + " " + XBOSH + "/>"),
        "features");
    Stanza bound = awaitElement(send("<iq xmlns='jabber:client' type='set' id='bind1'>"
        + "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>ops-" + Long.toHexString(rid.get()) + "</resource></bind></iq>"),
        "<jid>");
    String xml = bound.xml();
    jid = xml.substring(xml.indexOf("<jid>") + 5, xml.indexOf("</jid>"));
    send("<presence xmlns='jabber:client'/>");
    received.clear();
    polling = true;
    Thread poller = new Thread(this::pollLoop, "bosh-poll-" + user);
    poller.setDaemon(true);
    poller.start();
    return jid;
  }

  /** Sends a chat message; returns once the request is answered. */
  void message(String to, String text) throws Exception {
    send("<message xmlns='jabber:client' type='chat' to='" + to + "'><body>" + text
        + "</body></message>");
  }

  /** Waits for a message whose XML contains {@code text}. */
  Stanza awaitMessage(String text, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      long left = deadline - System.nanoTime();
      Stanza s = received.poll(Math.max(left, 0), TimeUnit.NANOSECONDS);
      if (s == null) {
        throw new AssertionError("no message with '" + text + "' in " + seconds + " s; failures: "
            + failures + "; terminated: " + terminated.getNow(null));
      }
      if (s.localName().equals("message") && s.xml().contains(text)) {
        return s;
      }
    }
  }

  /** Ends the session with type='terminate'. */
  void logout() {
    polling = false;
    try {
      post("<body rid='" + rid.getAndIncrement() + "' sid='" + sid + "' type='terminate' " + NS
          + "><presence xmlns='jabber:client' type='unavailable'/></body>");
    } catch (Exception e) {
      failures.add("logout: " + e);
    }
  }

  private Body send(String payload) throws Exception {
    return post("<body rid='" + rid.getAndIncrement() + "' sid='" + sid + "' " + NS + ">"
        + payload + "</body>");
  }

  private void pollLoop() {
    while (polling && !terminated.isDone()) {
      try {
        post("<body rid='" + rid.getAndIncrement() + "' sid='" + sid + "' " + NS + "/>");
      } catch (Exception e) {
        if (!terminated.isDone()) {
          failures.add("poll: " + e);
        }
        return;
      }
    }
  }

  /**
   * Posts a body; queues what it carried; records failures and the terminal condition. On a
   * network error the same body (same rid) is sent again, as XEP-0124 §14.3 asks of clients;
   * the error is still recorded as a failure.
   */
  Body post(String xml) throws Exception {
    HttpResponse<String> response = null;
    for (int attempt = 0; response == null; attempt++) {
      try {
        response = http.send(HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(WAIT + 20))
            .header("Content-Type", "text/xml; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(xml)).build(),
            HttpResponse.BodyHandlers.ofString());
      } catch (java.io.IOException e) {
        failures.add(e.toString());
        if (attempt == 2) {
          throw e;
        }
      }
    }
    Body body;
    try {
      body = parser.parse(response.body().getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      failures.add("HTTP " + response.statusCode() + ": " + response.body());
      throw new AssertionError("not a BOSH body: HTTP " + response.statusCode() + " "
          + response.body(), e);
    }
    if (response.statusCode() != 200) {
      failures.add("HTTP " + response.statusCode() + ": " + response.body());
    }
    received.addAll(body.payloads());
    if (body.isTerminate()) {
      terminated.complete(body);
    }
    return body;
  }

  /** The first element whose XML contains {@code localName}, in {@code first} or after it. */
  private Stanza awaitElement(Body first, String localName) throws Exception {
    for (Stanza s : first.payloads()) {
      if (s.xml().contains(localName)) {
        received.remove(s);
        return s;
      }
    }
    if (first.isTerminate()) {
      throw new AssertionError("session ended waiting for " + localName + ": " + first);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT + 5);
    while (System.nanoTime() < deadline) {
      // an empty answer: nothing yet, so poll once (the server's reply comes on a held request)
      Body next = post("<body rid='" + rid.getAndIncrement() + "' sid='" + sid + "' " + NS + "/>");
      for (Stanza s : next.payloads()) {
        if (s.xml().contains(localName)) {
          received.remove(s);
          return s;
        }
      }
      if (next.isTerminate()) {
        throw new AssertionError("session ended waiting for " + localName + ": " + next);
      }
    }
    throw new AssertionError("no " + localName + " in " + (WAIT + 5) + " s");
  }

  @Override
  public void close() {
    polling = false;
  }
}
