package dev.bindery.server.it;

import static dev.bindery.server.BoshHttpClient.NS;
import static dev.bindery.server.BoshHttpClient.XBOSH;

import dev.bindery.client.BoshTransport;
import dev.bindery.client.HttpBoshTransport;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.protocol.xmpp.Stanza;
import dev.bindery.server.BoshHttpClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Thread-safe, though one test thread drives it; the lists are guarded by {@code pending}.
 * An XMPP client that writes its BOSH bodies by hand, for what neither Smack nor the project's
 * client library (bindery-client's {@code BoshClient}) does: acknowledgements (XEP-0124 §9),
 * pauses (§10), several streams in one session (§16), requests sent at a moment a test chooses.
 * Those are the connection manager's features under test, so the bodies stay in the test; only
 * carrying them is the library's: each goes out through a bindery-client {@link BoshTransport}
 * (its {@link HttpBoshTransport}, or {@link BoshHttpClient#transport()} for HTTPS and h2). It
 * counts rids, keeps every answer, and queues the payloads it received, with the stream each
 * came on, until a test takes them. Every answer is checked against the XEP-0124 schema.
 */
public final class RawBoshSession {

  /** How long to keep polling for an expected payload. */
  static final Duration PATIENCE = Duration.ofSeconds(20);

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern JID = Pattern.compile("<jid>([^<]+)</jid>");

  /**
   * Immutable. A request's rid and its answer.
   */
  record Exchange(long rid, Body body) {}

  /** Immutable. A payload and the stream named by the body it came in, or null. */
  record Payload(String stream, Stanza stanza) {}

  private final BoshTransport http;
  private final String domain;
  private final Body created;
  private final String sid;
  private final long firstRid;
  private long rid;
  private final List<Exchange> exchanges = new ArrayList<>();
  private final List<Payload> pending = new ArrayList<>();

  private RawBoshSession(BoshTransport http, String domain, long rid, Body created) {
    this.http = http;
    this.domain = domain;
    this.firstRid = rid;
    this.rid = rid;
    this.created = created;
    this.sid = created.sid().orElseThrow(() -> new AssertionError("no session: " + created));
    exchanges.add(new Exchange(rid, created));
    queue(created);
  }

  /**
   * Creates a session ({@code hold='1'}, {@code wait='5'} unless {@code attributes} give one)
   * plus {@code attributes}.
   */
  public static RawBoshSession create(URI endpoint, String domain, String attributes)
      throws Exception {
    return create(endpoint, domain, attributes, Map.of());
  }

  /** As above, sending {@code headers} with every request. */
  static RawBoshSession create(URI endpoint, String domain, String attributes,
      Map<String, String> headers) throws Exception {
    return create(HttpBoshTransport.create(endpoint, HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(HttpBoshTransport.DEFAULT_CONNECT_TIMEOUT), headers), domain, attributes);
  }

  /** As above, over {@code http} (e.g. a client for an HTTPS endpoint). */
  static RawBoshSession create(BoshHttpClient http, String domain, String attributes)
      throws Exception {
    return create(http.transport(), domain, attributes);
  }

  private static RawBoshSession create(BoshTransport http, String domain, String attributes)
      throws Exception {
    long rid = 1_000_000L + RANDOM.nextInt(1_000_000_000);
    String wait = attributes.contains("wait=") ? "" : " wait='5'";
    Body created = post(http, "<body rid='" + rid + "' to='" + domain + "' xml:lang='en'"
        + wait + " hold='1' ver='1.11' xmpp:version='1.0' " + attributes + " " + NS + " "
        + XBOSH + "/>").get(BoshHttpClient.REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    return new RawBoshSession(http, domain, rid, created);
  }

  /** Posts {@code xml}; the answer, checked against the XEP-0124 schema and parsed. */
  private static CompletableFuture<Body> post(BoshTransport http, String xml) {
    return http.post(xml, BoshHttpClient.REQUEST_TIMEOUT).thenApply(BoshHttpClient::validBody);
  }

  Body created() {
    return created;
  }

  public String sid() {
    return sid;
  }

  long firstRid() {
    return firstRid;
  }

  /** The rid of the last request sent. */
  public long lastRid() {
    return rid;
  }

  /** Every request's rid and answer so far, the creation first. */
  List<Exchange> exchanges() {
    synchronized (pending) {
      return List.copyOf(exchanges);
    }
  }

  /** Sends the next request and waits for its answer. */
  Body send(String attributes, String payloads) throws Exception {
    return sendAsync(attributes, payloads).get(BoshHttpClient.REQUEST_TIMEOUT.toSeconds(),
        TimeUnit.SECONDS).body();
  }

  /** Sends the next request; the answer is recorded when it comes. */
  CompletableFuture<Exchange> sendAsync(String attributes, String payloads) {
    long r = ++rid;
    String start = "<body rid='" + r + "' sid='" + sid + "' " + attributes + " " + NS + " "
        + XBOSH;
    String xml = payloads.isEmpty() ? start + "/>" : start + ">" + payloads + "</body>";
    return post(http, xml).thenApply(body -> {
      Exchange e = new Exchange(r, body);
      synchronized (pending) {
        exchanges.add(e);
        queue(e.body());
      }
      return e;
    });
  }

  /**
   * The first payload received on {@code stream} (null: any) that {@code test} accepts, polling
   * until it comes. Payloads passed over stay queued.
   */
  Stanza await(String stream, Predicate<Stanza> test) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      synchronized (pending) {
        for (Iterator<Payload> it = pending.iterator(); it.hasNext(); ) {
          Payload p = it.next();
          if ((stream == null || stream.equals(p.stream())) && test.test(p.stanza())) {
            it.remove();
            return p.stanza();
          }
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no such payload on " + sid + "/" + stream + "; queued: "
            + pending);
      }
      Body polled = send("", "");
      if (polled.isTerminate()) {
        throw new AssertionError("session ended while waiting: " + polled);
      }
    }
  }

  /**
   * Logs in on {@code stream} (null: the first) with SASL PLAIN, restarts, binds
   * {@code resource}, and returns the full JID.
   */
  public String login(String stream, String user, String password, String resource)
      throws Exception {
    String on = stream == null ? "" : "stream='" + stream + "'";
    await(stream, s -> s.isStreamFeatures() && s.xml().contains("PLAIN"));
    String token = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password)
        .getBytes(StandardCharsets.UTF_8));
    send(on, "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + token
        + "</auth>");
    await(stream, s -> s.localName().equals("success"));
    send(on + " xmpp:restart='true' to='" + domain + "' xml:lang='en'", "");
    await(stream,
        s -> s.isStreamFeatures() && s.xml().contains("urn:ietf:params:xml:ns:xmpp-bind"));
    String id = "bind-" + resource;
    send(on, "<iq type='set' id='" + id + "' xmlns='jabber:client'>"
        + "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>" + resource
        + "</resource></bind></iq>");
    Stanza bound = await(stream, s -> s.localName().equals("iq") && s.xml().contains(id));
    Matcher jid = JID.matcher(bound.xml());
    if (!bound.xml().contains("result") || !jid.find()) {
      throw new AssertionError("bind failed: " + bound.xml());
    }
    return jid.group(1);
  }

  private void queue(Body body) {
    String stream = body.attribute(BodyAttribute.STREAM).orElse(null);
    for (Stanza s : body.payloads()) {
      pending.add(new Payload(stream, s));
    }
  }

  @Override
  public String toString() {
    return "RawBoshSession{sid=" + sid + ", rid=" + rid + "}";
  }
}
