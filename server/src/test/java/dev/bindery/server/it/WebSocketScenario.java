package dev.bindery.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bindery.server.Bindery;
import dev.bindery.server.config.DrainConfig;
import dev.bindery.server.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * XMPP over WebSocket (RFC 7395) through Bindery to a real XMPP server: a chat, the handshake's
 * subprotocol, the framing errors, the closing handshake, a vanished client and the drain. Run
 * against Prosody ({@code WebSocketThroughBinderyProsodyIT}) and ejabberd ({@code
 * WebSocketThroughBinderyEjabberdIT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WebSocketScenario {

  static final String DOMAIN = "localhost";
  private final Closer closer = new Closer();
  private XmppServer server;
  private Bindery bindery;

  /** Starts the XMPP server, serving {@link #DOMAIN} with plain TCP and SASL PLAIN. */
  abstract XmppServer startServer() throws Exception;

  @BeforeAll
  void start() throws Exception {
    server = closer.register(startServer());
    for (String user : List.of("alice", "bob", "carol", "dave")) {
      server.register(user, "secret-" + user);
    }
    bindery = closer.register(Bindery.start(config().build()));
  }

  @AfterAll
  void stop() throws Exception {
    closer.close();
  }

  private ServerConfig.Builder config() {
    return ServerConfig.builder().port(0)
        .upstream(server.host(), server.c2sPort()).domains(List.of(DOMAIN));
  }

  private static URI ws(Bindery b) {
    return b.webSocketEndpoint();
  }

  /** §3.1 to §3.6: two clients log in, chat, and close the stream, then the socket. */
  @Test
  void twoClientsChatAndCloseCleanly() throws Exception {
    try (WsClient alice = WsClient.connect(ws(bindery), "xmpp");
        WsClient bob = WsClient.connect(ws(bindery), "xmpp")) {
      assertEquals("xmpp", alice.acceptedSubprotocol());
      String aliceJid = alice.login(DOMAIN, "alice", "secret-alice", "web");
      String bobJid = bob.login(DOMAIN, "bob", "secret-bob", "web");
      assertTrue(aliceJid.startsWith("alice@localhost/"), aliceJid);
      alice.send("<presence xmlns='jabber:client'/>");
      bob.send("<presence xmlns='jabber:client'/>");
      alice.send("<message xmlns='jabber:client' to='" + bobJid + "' type='chat'>"
          + "<body>hello &amp; welcome</body></message>");
      String got = bob.nextContaining("<message");
      assertTrue(got.contains("hello &amp; welcome"), got);
      assertTrue(got.contains("from=\"" + aliceJid + "\"") || got.contains("from='" + aliceJid),
          got);

      // §3.6: <close/> is answered with <close/> once the server closed its stream
      alice.send("<close xmlns='" + WsClient.FRAMING + "'/>");
      String close = alice.nextContaining("<close");
      assertTrue(close.contains(WsClient.FRAMING), close);
    }
  }

  /** XEP-0156: host-meta names both endpoints; a client finds the WebSocket there and logs in. */
  @Test
  void hostMetaLeadsToTheWebSocket() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + bindery.port();
    HttpResponse<String> xrd = http.send(HttpRequest.newBuilder(
        URI.create(base + "/.well-known/host-meta")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, xrd.statusCode());
    assertEquals("*", xrd.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    assertTrue(xrd.headers().firstValue("Content-Type").orElse("").startsWith(
        "application/xrd+xml"));
    assertTrue(xrd.body().contains("<Link rel='urn:xmpp:alt-connections:xbosh' href='" + base
        + "/http-bind'/>"), xrd.body());
    HttpResponse<String> jrd = http.send(HttpRequest.newBuilder(
        URI.create(base + "/.well-known/host-meta.json")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, jrd.statusCode());
    Matcher ws = Pattern.compile("\\{\"rel\":\"urn:xmpp:alt-connections:websocket\","
        + "\"href\":\"([^\"]+)\"\\}").matcher(jrd.body());
    assertTrue(ws.find(), jrd.body());
    assertEquals("ws://127.0.0.1:" + bindery.port() + "/xmpp-websocket", ws.group(1));
    try (WsClient c = WsClient.connect(URI.create(ws.group(1)), "xmpp")) {
      assertTrue(c.login(DOMAIN, "bob", "secret-bob", "found").startsWith("bob@"));
    }
  }

  /** §3.1: no 'xmpp' in Sec-WebSocket-Protocol, no XMPP connection. */
  @Test
  void upgradeWithoutTheXmppSubprotocolIsRefused() {
    assertThrows(Exception.class, () -> WsClient.connect(ws(bindery)).close());
    assertThrows(Exception.class, () -> WsClient.connect(ws(bindery), "chat").close());
  }

  /** §3.1: the answer names exactly 'xmpp', whatever else was offered. */
  @Test
  void answerNamesOnlyXmpp() throws Exception {
    try (WsClient c = WsClient.connect(ws(bindery), "chat", "xmpp")) {
      assertEquals("xmpp", c.acceptedSubprotocol());
    }
  }

  /** §3.3.2: a {@code <stream:stream>} opening: open, invalid-namespace, close, socket closed. */
  @Test
  void streamStreamOpeningGetsInvalidNamespace() throws Exception {
    try (WsClient c = WsClient.connect(ws(bindery), "xmpp")) {
      c.send("<stream:stream to='localhost' xmlns='jabber:client'"
          + " xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>");
      WsClient.expectOpen(c.next()); // §3.4: the open answer comes before the error
      assertTrue(c.next().contains("<invalid-namespace"));
      assertTrue(c.next().startsWith("<close"));
      assertEquals(1000, c.awaitClose(WsClient.TIMEOUT));
    }
  }

  /** §3.2: only text messages; a binary one ends the stream and closes with 1003. */
  @Test
  void binaryMessageIsRefused() throws Exception {
    try (WsClient c = WsClient.connect(ws(bindery), "xmpp")) {
      c.sendBinary(new byte[] {'<', 'a', '/', '>'});
      WsClient.expectOpen(c.next());
      assertTrue(c.next().contains("<unsupported-encoding"));
      assertTrue(c.next().startsWith("<close"));
      assertEquals(1003, c.awaitClose(WsClient.TIMEOUT));
    }
  }

  /** §3.3.3: a partial element is not a standalone document: not-well-formed. */
  @Test
  void partialElementIsNotWellFormed() throws Exception {
    try (WsClient c = WsClient.connect(ws(bindery), "xmpp")) {
      c.send("<open xmlns='" + WsClient.FRAMING + "' to='localhost' version='1.0'/>");
      WsClient.expectOpen(c.next());
      c.nextContaining("mechanisms");
      c.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>");
      assertTrue(c.nextContaining("<stream:error").contains("<not-well-formed"));
      assertTrue(c.next().startsWith("<close"));
      assertEquals(1000, c.awaitClose(WsClient.TIMEOUT));
    }
  }

  /** §3.4: "The first message ... MUST be an <open/> element": anything else ends it. */
  @Test
  void aStanzaBeforeOpenIsRefused() throws Exception {
    try (WsClient c = WsClient.connect(ws(bindery), "xmpp")) {
      c.send("<message xmlns='jabber:client' to='bob@localhost'><body>early</body></message>");
      WsClient.expectOpen(c.next());
      assertTrue(c.next().contains("<policy-violation"));
      assertTrue(c.next().startsWith("<close"));
      assertEquals(1000, c.awaitClose(WsClient.TIMEOUT));
    }
  }

  /** RFC 6455 §10.2: a browser page of an origin not allowed cannot open the socket. */
  @Test
  void anOriginNotAllowedIsRefused() throws Exception {
    try (Bindery strict = Bindery.start(config()
        .allowedOrigins(List.of("https://chat.example.com")).build())) {
      assertThrows(Exception.class, () -> WsClient.connectFrom(ws(strict),
          "https://evil.example.net", "xmpp").close());
      try (WsClient c = WsClient.connectFrom(ws(strict), "https://chat.example.com", "xmpp")) {
        assertEquals("xmpp", c.acceptedSubprotocol());
      }
    }
  }

  /** A draining node with nowhere to send clients refuses new upgrades with 503. */
  @Test
  void aDrainingNodeRefusesNewUpgrades() throws Exception {
    try (Bindery draining = Bindery.start(config().build())) {
      draining.drain(Duration.ZERO);
      Exception refused = assertThrows(Exception.class,
          () -> WsClient.connect(ws(draining), "xmpp").close());
      assertTrue(String.valueOf(refused.getMessage()).contains("503")
          || String.valueOf(refused.getCause()).contains("503"), refused::toString);
    }
  }

  /** §3.6.1: a draining node with a see-other URI sends its streams there with {@code <close/>}. */
  @Test
  void drainWithSeeOtherUriMovesStreamsThere() throws Exception {
    URI other = URI.create("https://other.example.com/xmpp-websocket");
    try (Bindery draining = Bindery.start(config()
        .drain(new DrainConfig(Duration.ofMillis(200), other)).build());
        WsClient c = WsClient.connect(ws(draining), "xmpp")) {
      c.login(DOMAIN, "alice", "secret-alice", "moving");
      draining.drain(Duration.ofMillis(200));
      String close = c.nextContaining("<close");
      assertTrue(close.contains("see-other-uri='" + other + "'"), close);
      assertEquals(1001, c.awaitClose(WsClient.TIMEOUT));
    }
  }

  /** RFC 6120 §4.9.3.6: a domain Bindery does not serve. */
  @Test
  void unknownDomainIsHostUnknown() throws Exception {
    try (WsClient c = WsClient.connect(ws(bindery), "xmpp")) {
      c.send("<open xmlns='" + WsClient.FRAMING + "' to='elsewhere.example' version='1.0'/>");
      WsClient.expectOpen(c.next());
      assertTrue(c.next().contains("<host-unknown"));
      assertTrue(c.next().startsWith("<close"));
    }
  }

  /** §3.6: a socket gone without {@code <close/>} ends the server's stream at once. */
  @Test
  void vanishedClientGoesOfflineAtOnce() throws Exception {
    try (WsClient dave = WsClient.connect(ws(bindery), "xmpp")) {
      String daveJid = dave.login(DOMAIN, "dave", "secret-dave", "web");
      WsClient carol = WsClient.connect(ws(bindery), "xmpp");
      String carolJid = carol.login(DOMAIN, "carol", "secret-carol", "web");
      // directed presence: carol's server tells dave when carol's session ends
      carol.send("<presence xmlns='jabber:client' to='" + daveJid + "'/>");
      dave.nextContaining("from=\"" + carolJid + "\"");
      carol.close(); // the socket drops: no <close/>, no close frame
      String gone = dave.nextContaining("unavailable");
      assertTrue(gone.contains(carolJid), gone);
    }
  }

  /** The drain ends a WebSocket stream with system-shutdown and close code 1001. */
  @Test
  void drainEndsStreamsWithSystemShutdown() throws Exception {
    try (Bindery draining = Bindery.start(config().build());
        WsClient c = WsClient.connect(ws(draining), "xmpp")) {
      c.login(DOMAIN, "alice", "secret-alice", "drain");
      draining.drain(Duration.ofMillis(200));
      assertTrue(c.nextContaining("<stream:error").contains("<system-shutdown"));
      assertTrue(c.next().startsWith("<close"));
      assertEquals(1001, c.awaitClose(WsClient.TIMEOUT));
    }
  }
}
