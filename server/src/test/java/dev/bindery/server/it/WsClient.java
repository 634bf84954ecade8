package dev.bindery.server.it;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A raw RFC 7395 client for tests: sends text as given and hands back each message as it came,
 * so that the tests see the framing itself. Jetty's WebSocket client does the RFC 6455 part.
 */
public final class WsClient implements Session.Listener.AutoDemanding, AutoCloseable {

  public static final String FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";
  static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final WebSocketClient client;
  private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private volatile Session session;

  private WsClient(WebSocketClient client) {
    this.client = client;
  }

  /** Opens a WebSocket to {@code uri} offering these subprotocols. */
  public static WsClient connect(URI uri, String... subprotocols) throws Exception {
    return connectFrom(uri, null, subprotocols);
  }

  /** Opens a WebSocket as a page of {@code origin} would (null: no Origin header). */
  public static WsClient connectFrom(URI uri, String origin, String... subprotocols)
      throws Exception {
    return connectWith(uri, origin == null ? Map.of() : Map.of("Origin", origin), subprotocols);
  }

  /** Opens a WebSocket with these extra headers on the upgrade request. */
  public static WsClient connectWith(URI uri, Map<String, String> headers,
      String... subprotocols) throws Exception {
    return connect(new WebSocketClient(), uri, headers, subprotocols);
  }

  /** Opens a {@code wss} WebSocket trusting what {@code tls} trusts. */
  public static WsClient connectSecure(URI uri, SSLContext tls, String... subprotocols)
      throws Exception {
    SslContextFactory.Client ssl = new SslContextFactory.Client();
    ssl.setSslContext(tls);
    ClientConnector connector = new ClientConnector();
    connector.setSslContextFactory(ssl);
    HttpClient http = new HttpClient(new HttpClientTransportDynamic(connector));
    return connect(new WebSocketClient(http), uri, Map.of(), subprotocols);
  }

  private static WsClient connect(WebSocketClient client, URI uri, Map<String, String> headers,
      String... subprotocols) throws Exception {
    client.start();
    WsClient ws = new WsClient(client);
    ClientUpgradeRequest request = new ClientUpgradeRequest();
    headers.forEach(request::setHeader);
    if (subprotocols.length > 0) {
      request.setSubProtocols(subprotocols);
    }
    try {
      ws.session = client.connect(ws, uri, request).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      client.stop();
      throw e;
    }
    return ws;
  }

  /** The subprotocol the server accepted, or null. */
  String acceptedSubprotocol() {
    return session.getUpgradeResponse().getAcceptedSubProtocol();
  }

  public void send(String text) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    session.sendText(text, Callback.from(() -> done.complete(null), done::completeExceptionally));
    done.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  void sendBinary(byte[] bytes) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    session.sendBinary(ByteBuffer.wrap(bytes),
        Callback.from(() -> done.complete(null), done::completeExceptionally));
    done.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /** The next message, failing the test after {@link #TIMEOUT}. */
  public String next() throws InterruptedException {
    String m = messages.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertNotNull(m, "no message within " + TIMEOUT);
    return m;
  }

  /** The next message containing {@code text}, skipping others (presence, roster pushes). */
  public String nextContaining(String text) throws InterruptedException {
    return nextContaining(text, TIMEOUT);
  }

  /** The next message containing {@code text} within {@code wait}, skipping others. */
  public String nextContaining(String text, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      String m = messages.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (m != null && m.contains(text)) {
        return m;
      }
    }
    throw new AssertionError("no message containing " + text + " within " + wait);
  }

  /** The close status code once the connection closed, failing the test after {@code wait}. */
  public int awaitClose(Duration wait) throws Exception {
    return closed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  boolean isOpen() {
    return session.isOpen();
  }

  /** Messages received and not yet taken. */
  List<String> drained() {
    List<String> rest = new java.util.ArrayList<>();
    messages.drainTo(rest);
    return rest;
  }

  /** Logs in with SASL PLAIN, restarts, binds {@code resource}; returns the full JID. */
  public String login(String domain, String user, String password, String resource)
      throws Exception {
    send("<open xmlns='" + FRAMING + "' to='" + domain + "' version='1.0'/>");
    expectOpen(next());
    nextContaining("mechanisms");
    String plain = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password)
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + plain + "</auth>");
    String success = next();
    if (!success.startsWith("<success")) {
      throw new AssertionError("SASL failed: " + success);
    }
    send("<open xmlns='" + FRAMING + "' to='" + domain + "' version='1.0'/>");
    expectOpen(next());
    nextContaining("urn:ietf:params:xml:ns:xmpp-bind");
    send("<iq xmlns='jabber:client' type='set' id='bind1'><bind"
        + " xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>" + resource
        + "</resource></bind></iq>");
    String bound = nextContaining("bind1");
    Matcher jid = Pattern.compile("<jid>([^<]+)</jid>").matcher(bound);
    if (!jid.find()) {
      throw new AssertionError("no JID bound: " + bound);
    }
    return jid.group(1);
  }

  public static void expectOpen(String message) {
    if (!message.startsWith("<open") || !message.contains(FRAMING)) {
      throw new AssertionError("expected <open/> in the framing namespace: " + message);
    }
  }

  @Override
  public void onWebSocketText(String message) {
    messages.add(message);
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason, Callback callback) {
    callback.succeed();
    closed.complete(statusCode);
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    closed.complete(-1);
  }

  @Override
  public void close() throws Exception {
    client.stop();
  }
}
