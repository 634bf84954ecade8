package dev.bindery.server.http;

import static dev.bindery.server.BoshHttpClient.NS;
import static dev.bindery.server.BoshHttpClient.XBOSH;
import static dev.bindery.server.http.ScriptedBindery.PATIENCE;
import static dev.bindery.server.http.ScriptedBindery.poll;
import static dev.bindery.server.http.ScriptedBindery.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyParser;
import dev.bindery.server.Bindery;
import dev.bindery.server.ScriptedXmppServer;
import dev.bindery.server.config.ServerConfig;
import dev.bindery.server.config.Http2Config;
import dev.bindery.server.metrics.BoshMetrics;
import io.micrometer.core.instrument.Counter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.PingFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * HTTP/2 on the plain listener: h2c by prior knowledge (RFC 9113 §3.3), beside HTTP/1.1 on the
 * same port. A client (here Jetty's, limited to one connection) carries several BOSH sessions and
 * their held requests as concurrent streams of one connection, the way a proxy's HTTP/2 backend
 * does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Http2ListenerTest {

  private static final int MAX_STREAMS = 77;
  private static final BodyParser PARSER = new BodyParser();

  private ScriptedBindery cm;
  private Arrivals arrivals;
  private HttpClient h2;

  @BeforeAll
  void start() throws Exception {
    cm = ScriptedBindery.start(ServerConfig.builder().http2(new Http2Config(true,
        MAX_STREAMS, Http2Config.DEFAULT_INITIAL_STREAM_WINDOW,
        Http2Config.DEFAULT_INITIAL_CONNECTION_WINDOW,
        Http2Config.DEFAULT_MAX_CONTROL_FRAMES_PER_SECOND)));
    arrivals = new Arrivals();
    h2 = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()));
    h2.setMaxConnectionsPerDestination(1); // every request below shares one connection
    h2.start();
  }

  @AfterAll
  void stop() throws Exception {
    h2.stop();
    arrivals.close();
    cm.close();
  }

  @Test
  void priorKnowledgeClientIsAnsweredOverHttp2WithContentLength() throws Exception {
    ContentResponse created = post(cm.bindery.endpoint(), creation(1000)).get();

    assertThat(created.getVersion()).isEqualTo(HttpVersion.HTTP_2);
    assertThat(created.getStatus()).isEqualTo(200);
    assertThat(created.getHeaders().get(HttpHeader.CONTENT_LENGTH))
        .as("XEP-0124 §5: every answer states its length")
        .isEqualTo(String.valueOf(created.getContent().length));
    assertThat(body(created).sid()).isPresent();
  }

  @Test
  void sessionsAndTheirHeldRequestsShareOneConnection() throws Exception {
    int first = cm.xmpp.accepted();
    String a = body(post(cm.bindery.endpoint(), creation(2000)).get()).sid().orElseThrow();
    String b = body(post(cm.bindery.endpoint(), creation(3000)).get()).sid().orElseThrow();
    ScriptedXmppServer.Connection upstreamA = cm.xmpp.connection(first);
    ScriptedXmppServer.Connection upstreamB = cm.xmpp.connection(first + 1);

    // one connection (the client allows no second): were its streams not concurrent, b's
    // requests would queue behind a's held one until its wait ran out
    CompletableFuture<ContentResponse> heldA = post(cm.bindery.endpoint(), poll(a, 2001));
    arrivals.await(a, 2001);
    CompletableFuture<ContentResponse> heldB = post(cm.bindery.endpoint(), poll(b, 3001));
    arrivals.await(b, 3001);
    assertThat(heldA).as("held while session b's request passed it").isNotDone();

    upstreamB.send("<message id='to-b'><body>hi b</body></message>");
    Body toB = body(heldB.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
    assertThat(toB.payloads()).singleElement()
        .satisfies(m -> assertThat(m.xml()).contains("id=\"to-b\""));
    assertThat(heldA).isNotDone();

    CompletableFuture<ContentResponse> sent = post(cm.bindery.endpoint(), request(a, 2002, "",
        "<message to='b@localhost' id='from-a'/>"));
    assertThat(body(heldA.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)))
        .as("§8: hold=1, so the second request releases the first").isEqualTo(Body.empty());
    upstreamA.awaitReceived("id=\"from-a\"");
    upstreamA.send("<message id='to-a'><body>hi a</body></message>");
    assertThat(body(sent.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).payloads()).singleElement()
        .satisfies(m -> assertThat(m.xml()).contains("id=\"to-a\""));
  }

  /*
   * XEP-0124 §14.3: "the connection manager SHOULD [...] respond to the client with the response
   * it sent [...]" when a request is resent. A stream the client resets while it is held loses
   * nothing: the session answers it to nobody, and the resend of its rid gets that answer.
   */
  @Test
  void aHeldStreamResetByTheClientLosesNothingAndTheConnectionLivesOn() throws Exception {
    int connection = cm.xmpp.accepted();
    String sid = body(post(cm.bindery.endpoint(), creation(6000)).get()).sid().orElseThrow();
    ScriptedXmppServer.Connection upstream = cm.xmpp.connection(connection);
    double abandonedBefore = abandoned();
    double heldBefore = heldGauge(); // other tests' sessions may hold requests of their own
    Request held = h2.POST(cm.bindery.endpoint()).timeout(70, TimeUnit.SECONDS)
        .body(new StringRequestContent("text/xml; charset=utf-8", poll(sid, 6001),
            StandardCharsets.UTF_8));
    CompletableFuture<ContentResponse> reset = new CompletableResponseListener(held).send();
    arrivals.await(sid, 6001);

    held.abort(new Exception("the client resets the stream (RST_STREAM)"));
    assertThat(reset).failsWithin(PATIENCE);
    awaitAbandoned(abandonedBefore + 1);
    upstream.send("<message id='while-reset'><body>still here</body></message>");

    Body resent = body(post(cm.bindery.endpoint(), poll(sid, 6001))
        .get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
    assertThat(resent.payloads()).singleElement()
        .satisfies(m -> assertThat(m.xml()).contains("id=\"while-reset\""));
    assertThat(heldGauge()).as("the reset request no longer counted held").isEqualTo(heldBefore);
  }

  /*
   * XEP-0124 §19: an insecure request in a secure session is dropped unanswered, and the session
   * lives on. Over HTTP/2 only its stream is reset: the connection carries other requests, here
   * another session's held one, which is still answered.
   */
  @Test
  void anInsecureRequestInASecureSessionResetsItsStreamNotTheConnection() throws Exception {
    int first = cm.xmpp.accepted();
    String secure = body(send(cm.bindery.endpoint(), creation(7000), true).get()).sid()
        .orElseThrow();
    String other = body(post(cm.bindery.endpoint(), creation(8000)).get()).sid().orElseThrow();
    ScriptedXmppServer.Connection secureUpstream = cm.xmpp.connection(first);
    ScriptedXmppServer.Connection otherUpstream = cm.xmpp.connection(first + 1);
    CompletableFuture<ContentResponse> otherHeld = post(cm.bindery.endpoint(), poll(other, 8001));
    arrivals.await(other, 8001);

    CompletableFuture<ContentResponse> insecure = send(cm.bindery.endpoint(),
        request(secure, 7001, "", "<message to='b@localhost' id='forged'/>"), false);
    assertThat(insecure).failsWithin(PATIENCE);

    CompletableFuture<ContentResponse> genuine = send(cm.bindery.endpoint(),
        request(secure, 7001, "", "<message to='b@localhost' id='genuine'/>"), true);
    assertThat(secureUpstream.awaitReceived("id=\"genuine\"")).doesNotContain("forged");
    secureUpstream.send("<message id='to-secure'/>");
    assertThat(genuine.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).getContentAsString())
        .contains("to-secure");
    otherUpstream.send("<message id='to-other'/>");
    assertThat(otherHeld.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).getContentAsString())
        .as("the other session's stream on the same connection").contains("to-other");
  }

  @Test
  void settingsAnnounceTheConfiguredStreamLimit() throws Exception {
    HTTP2Client client = new HTTP2Client();
    client.start();
    try {
      CompletableFuture<Map<Integer, Integer>> settings = new CompletableFuture<>();
      Promise.Completable<Session> session = new Promise.Completable<>();
      client.connect(new InetSocketAddress("127.0.0.1", cm.bindery.port()),
          new Session.Listener() {
            @Override
            public void onSettings(Session s, SettingsFrame frame) {
              settings.complete(frame.getSettings());
            }
          }, session);
      session.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

      assertThat(settings.get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
          .containsEntry(SettingsFrame.MAX_CONCURRENT_STREAMS, MAX_STREAMS)
          .containsEntry(SettingsFrame.INITIAL_WINDOW_SIZE,
              Http2Config.DEFAULT_INITIAL_STREAM_WINDOW);
    } finally {
      client.stop();
    }
  }

  /*
   * A proxy's shared connection resets a stream for every client that gives up a request: a
   * burst of resets from many users (here 300, more than Jetty's own limit of 128 a second)
   * leaves the connection open. A flood beyond the configured limit closes it with
   * ENHANCE_YOUR_CALM (RFC 9113 §7), the rapid-reset defence.
   */
  @Test
  void aBurstOfStreamResetsWithinTheLimitKeepsTheConnection() throws Exception {
    assertThat(resetBurst(cm.bindery, 300)).as("GOAWAY").isNull();
  }

  @Test
  void aResetFloodBeyondTheLimitClosesTheConnection() throws Exception {
    try (ScriptedXmppServer xmpp = new ScriptedXmppServer();
        Bindery strict = Bindery.start(ServerConfig.builder().port(0)
            .upstream("127.0.0.1", xmpp.port()).http2(new Http2Config(true,
                MAX_STREAMS, Http2Config.DEFAULT_INITIAL_STREAM_WINDOW,
                Http2Config.DEFAULT_INITIAL_CONNECTION_WINDOW, 50)).build())) {
      GoAwayFrame goAway = resetBurst(strict, 300);
      assertThat(goAway).isNotNull();
      assertThat(goAway.getError()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM_ERROR.code);
    }
  }

  /**
   * Opens {@code count} request streams on one connection and resets each at once; returns the
   * server's GOAWAY, or null when the connection still answers a PING afterwards.
   */
  private static GoAwayFrame resetBurst(Bindery bindery, int count) throws Exception {
    HTTP2Client client = new HTTP2Client();
    client.start();
    try {
      CompletableFuture<GoAwayFrame> goAway = new CompletableFuture<>();
      CompletableFuture<Void> pong = new CompletableFuture<>();
      Promise.Completable<Session> connected = new Promise.Completable<>();
      client.connect(new InetSocketAddress("127.0.0.1", bindery.port()), new Session.Listener() {
        @Override
        public void onGoAway(Session s, GoAwayFrame frame) {
          goAway.complete(frame);
        }

        @Override
        public void onClose(Session s, GoAwayFrame frame, Callback callback) {
          goAway.complete(frame);
          callback.succeeded();
        }

        @Override
        public void onPing(Session s, PingFrame frame) {
          if (frame.isReply()) {
            pong.complete(null);
          }
        }
      }, connected);
      Session session = connected.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      MetaData.Request post = new MetaData.Request("POST",
          HttpURI.from(bindery.endpoint().toString()), HttpVersion.HTTP_2, HttpFields.EMPTY);
      for (int i = 0; i < count && !goAway.isDone(); i++) {
        Stream stream;
        try {
          stream = session.newStream(new HeadersFrame(post, null, false), new Stream.Listener() {})
              .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException closed) {
          break; // the server closed the connection
        }
        stream.reset(new ResetFrame(stream.getId(), ErrorCode.CANCEL_STREAM_ERROR.code));
      }
      session.ping(new PingFrame(false), Callback.NOOP);
      CompletableFuture.anyOf(pong, goAway).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      return goAway.getNow(null);
    } finally {
      client.stop();
    }
  }

  @Test
  void http11StillServedOnTheSamePort() throws Exception {
    Body created = cm.client.post("<body rid='4000' to='localhost' hold='1' ver='1.11'"
        + " wait='5' xmpp:version='1.0' " + NS + " " + XBOSH + "/>").body();

    assertThat(created.sid()).isPresent();
  }

  @Test
  void withHttp2DisabledAPriorKnowledgeClientIsRefused() throws Exception {
    try (ScriptedXmppServer xmpp = new ScriptedXmppServer();
        Bindery http1Only = Bindery.start(ServerConfig.builder().port(0)
            .upstream("127.0.0.1", xmpp.port()).http2(Http2Config.DISABLED).build())) {
      assertThatThrownBy(() -> post(http1Only.endpoint(), creation(5000))
          .get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class);
    }
  }

  private double abandoned() {
    Counter c = cm.bindery.meterRegistry().find(BoshMetrics.REQUESTS)
        .tags("outcome", "abandoned").counter();
    return c == null ? 0 : c.count();
  }

  private double heldGauge() {
    return cm.bindery.meterRegistry().get(BoshMetrics.REQUESTS_HELD).gauge().value();
  }

  private void awaitAbandoned(double count) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (abandoned() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the reset request was never counted abandoned");
      }
      TimeUnit.MILLISECONDS.sleep(10); // polling a counter across threads
    }
  }

  private static String creation(long rid) {
    return "<body rid='" + rid + "' to='localhost' hold='1' ver='1.11' wait='60'"
        + " xmpp:version='1.0' " + NS + " " + XBOSH + "/>";
  }

  private CompletableFuture<ContentResponse> post(URI endpoint, String xml) {
    return send(endpoint, xml, false);
  }

  /**
   * Posts {@code xml}; with {@code viaHttpsProxy}, as a TLS-terminating proxy on loopback would
   * (trusted by default), saying so in {@code X-Forwarded-Proto}.
   */
  private CompletableFuture<ContentResponse> send(URI endpoint, String xml,
      boolean viaHttpsProxy) {
    Request request = h2.POST(endpoint).timeout(70, TimeUnit.SECONDS)
        .body(new StringRequestContent("text/xml; charset=utf-8", xml, StandardCharsets.UTF_8));
    if (viaHttpsProxy) {
      request.headers(h -> h.put("X-Forwarded-Proto", "https"));
    }
    return new CompletableResponseListener(request).send();
  }

  private static Body body(ContentResponse response) throws Exception {
    assertThat(response.getStatus()).isEqualTo(200);
    return PARSER.parse(response.getContent(), 0, response.getContent().length);
  }
}
