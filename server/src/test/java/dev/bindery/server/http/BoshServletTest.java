package dev.bindery.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.protocol.body.BodyParser;
import dev.bindery.protocol.testing.BodySchema;
import dev.bindery.server.Bindery;
import dev.bindery.server.ScriptedXmppServer;
import dev.bindery.server.config.ServerConfig;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The servlet end to end over real HTTP, relaying to a scripted server. */
class BoshServletTest {

  private static final String NS = "xmlns='http://jabber.org/protocol/httpbind'";
  private static final String XBOSH = "xmlns:xmpp='urn:xmpp:xbosh'";

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private final BodyParser parser = new BodyParser();
  private ScriptedXmppServer xmpp;
  private Bindery bindery;

  @BeforeEach
  void start() throws Exception {
    xmpp = new ScriptedXmppServer();
    bindery = Bindery.start(ServerConfig.builder().port(0)
        .upstream("127.0.0.1", xmpp.port()).build());
  }

  @AfterEach
  void stop() throws Exception {
    bindery.close();
    xmpp.close();
  }

  @Test
  void creationResponseCarriesTheSessionParametersAndTheServerFeatures() throws Exception {
    HttpResponse<String> response = post("<body rid='100' to='localhost' xml:lang='en'"
        + " wait='300' hold='1' ver='1.6' xmpp:version='1.0' " + NS + " " + XBOSH + "/>");
    Body body = parse(response);

    assertThat(body.sid()).hasValueSatisfying(sid -> assertThat(sid).hasSizeGreaterThanOrEqualTo(27));
    assertThat(body.attribute(BodyAttribute.WAIT)).contains("60"); // at most the limit
    assertThat(body.attribute(BodyAttribute.HOLD)).contains("1");
    assertThat(body.attribute(BodyAttribute.REQUESTS)).contains("2");
    assertThat(body.attribute(BodyAttribute.INACTIVITY)).contains("60");
    assertThat(body.attribute(BodyAttribute.POLLING)).contains("2");
    assertThat(body.attribute(BodyAttribute.VER)).contains("1.6");
    assertThat(body.attribute(BodyAttribute.FROM)).contains("localhost");
    assertThat(body.attribute(BodyAttribute.XMPP_VERSION)).contains("1.0");
    assertThat(body.attribute(BodyAttribute.XMPP_RESTARTLOGIC)).contains("true");
    assertThat(body.attribute(BodyAttribute.AUTHID)).contains("stream-0-1");
    assertThat(body.payloads()).singleElement()
        .satisfies(features -> assertThat(features.isStreamFeatures()).isTrue());
    assertThat(response.body()).contains("xmlns:stream=\"http://etherx.jabber.org/streams\"");
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/xml"));
    assertThat(response.headers().firstValue("Content-Length"))
        .contains(Integer.toString(response.body().getBytes(StandardCharsets.UTF_8).length));
    assertThat(response.headers().firstValue("Transfer-Encoding")).isEmpty();
    assertThat(xmpp.connection(0).received())
        .contains("to='localhost'").contains("version='1.0'").contains("xml:lang='en'");
  }

  @Test
  void unknownSidGetsItemNotFound() throws Exception {
    HttpResponse<String> response = post("<body rid='5' sid='nope' " + NS + "/>");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(parse(response).condition()).contains(BindingCondition.ITEM_NOT_FOUND);
    assertThat(parse(response).isTerminate()).isTrue();
  }

  @Test
  void malformedBodyGetsBadRequestWithCorsHeaders() throws Exception {
    HttpResponse<String> response = post("<body rid='5' " + NS + "><message>");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(parse(response).condition()).contains(BindingCondition.BAD_REQUEST);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
  }

  @Test
  void unservedDomainGetsHostUnknownAndNothingIsDialed() throws Exception {
    HttpResponse<String> response = post("<body rid='5' to='example.org' wait='30' hold='1'"
        + " ver='1.11' " + NS + "/>");
    assertThat(parse(response).condition()).contains(BindingCondition.HOST_UNKNOWN);
    assertThat(xmpp.accepted()).isZero();
  }

  @Test
  void routeNotOnTheAllowlistGetsHostUnknownAndNothingIsDialed() throws Exception {
    // the route names the very server the domain is relayed to: still not on the allowlist
    HttpResponse<String> response = post("<body rid='5' to='localhost' route='xmpp:127.0.0.1:"
        + xmpp.port() + "' wait='30' hold='1' ver='1.11' " + NS + "/>");
    assertThat(parse(response).condition()).contains(BindingCondition.HOST_UNKNOWN);
    assertThat(xmpp.accepted()).isZero();
  }

  @Test
  void toThatIsAJidGetsImproperAddressing() throws Exception {
    HttpResponse<String> response = post("<body rid='5' to='user@localhost' wait='30' hold='1'"
        + " ver='1.11' " + NS + "/>");
    assertThat(parse(response).condition()).contains(BindingCondition.IMPROPER_ADDRESSING);
    assertThat(xmpp.accepted()).isZero();
  }

  @Test
  void legacyClientGetsTheDeprecatedHttpStatus() throws Exception {
    // no ver: a legacy client (§17.1); no wait: bad-request, which is HTTP 400 for it
    HttpResponse<String> response = post("<body rid='5' to='localhost' hold='1' " + NS + "/>");
    assertThat(response.statusCode()).isEqualTo(400);
  }

  @Test
  void preflightIsAnsweredWithCorsHeaders() throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(bindery.endpoint())
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://chat.example")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type")
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
    assertThat(response.headers().firstValue("Access-Control-Allow-Methods"))
        .hasValueSatisfying(m -> assertThat(m).contains("POST"));
    assertThat(response.headers().firstValue("Access-Control-Allow-Headers"))
        .contains("content-type");
  }

  @Test
  void requestsArrivingOutOfOrderAreForwardedInRidOrder() throws Exception {
    String sid = createSession(200);
    CompletableFuture<HttpResponse<String>> second = postAsync("<body rid='202' sid='" + sid
        + "' " + NS + "><message to='b@localhost' id='second'/></body>");
    CompletableFuture<HttpResponse<String>> first = postAsync("<body rid='201' sid='" + sid
        + "' " + NS + "><message to='b@localhost' id='first'/></body>");

    String received = xmpp.connection(0).awaitReceived("id=\"second\"");
    assertThat(received.indexOf("id=\"first\"")).isPositive()
        .isLessThan(received.indexOf("id=\"second\""));
    // hold=1: the older request is answered as soon as the newer one is held
    assertThat(parse(first.get(5, TimeUnit.SECONDS)).isTerminate()).isFalse();
    xmpp.connection(0).send("<message from='b@localhost' id='reply'/>");
    assertThat(second.get(5, TimeUnit.SECONDS).body()).contains("id=\"reply\"");
  }

  @Test
  void heldRequestIsAnsweredAsSoonAsTheServerSendsAStanza() throws Exception {
    String sid = createSession(300);
    CompletableFuture<HttpResponse<String>> poll =
        postAsync("<body rid='301' sid='" + sid + "' " + NS + "/>");
    xmpp.connection(0).send("<message from='b@localhost/r' type='chat'><body>hi &amp; bye"
        + "</body></message>");
    Body body = parse(poll.get(5, TimeUnit.SECONDS));
    assertThat(body.payloads()).singleElement().satisfies(m -> {
      assertThat(m.isRoutable()).isTrue();
      assertThat(m.xml()).contains("xmlns=\"jabber:client\"").contains("hi &amp; bye");
    });
  }

  @Test
  void terminateForwardsThePayloadClosesTheStreamAndForgetsTheSession() throws Exception {
    String sid = createSession(400);
    HttpResponse<String> response = post("<body rid='401' sid='" + sid + "' type='terminate' "
        + NS + "><presence type='unavailable'/></body>");
    assertThat(parse(response).isTerminate()).isTrue();
    assertThat(parse(response).condition()).isEmpty();
    String received = xmpp.connection(0).awaitReceived("</stream:stream>");
    assertThat(received).contains("<presence xmlns=\"jabber:client\" type=\"unavailable\"");
    assertThat(received.indexOf("unavailable")).isLessThan(received.indexOf("</stream:stream>"));

    HttpResponse<String> later = post("<body rid='402' sid='" + sid + "' " + NS + "/>");
    assertThat(parse(later).condition()).contains(BindingCondition.ITEM_NOT_FOUND);
  }

  @Test
  void serverStreamErrorReachesTheClientAsRemoteStreamError() throws Exception {
    String sid = createSession(500);
    CompletableFuture<HttpResponse<String>> poll =
        postAsync("<body rid='501' sid='" + sid + "' " + NS + "/>");
    xmpp.connection(0).send("<message from='b@localhost' id='before'/><stream:error>"
        + "<conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>");
    HttpResponse<String> response = poll.get(5, TimeUnit.SECONDS);
    Body body = parse(response);
    assertThat(body.isTerminate()).isTrue();
    assertThat(body.condition()).contains(BindingCondition.REMOTE_STREAM_ERROR);
    assertThat(body.payloads()).hasSize(2);
    assertThat(body.payloads().get(0).xml()).contains("before");
    assertThat(body.payloads().get(1).isStreamError()).isTrue();
    assertThat(response.body()).startsWith("<body xmlns=\"http://jabber.org/protocol/httpbind\""
        + " xmlns:stream=\"http://etherx.jabber.org/streams\"");
  }

  @Test
  void unreachableServerGivesRemoteConnectionFailed() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (Bindery isolated = Bindery.start(ServerConfig.builder().port(0)
        .upstream("127.0.0.1", closedPort).build())) {
      HttpResponse<String> response = validated(http.send(request(isolated.endpoint(),
          "<body rid='1' to='localhost' wait='30' hold='1' ver='1.11' " + NS + "/>"),
          HttpResponse.BodyHandlers.ofString()));
      assertThat(parse(response).condition()).contains(BindingCondition.REMOTE_CONNECTION_FAILED);
    }
  }

  @Test
  void responsesAreCompressedForClientsThatAcceptIt() throws Exception {
    HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(bindery.endpoint())
        .header("Accept-Encoding", "gzip")
        .POST(HttpRequest.BodyPublishers.ofString("<body rid='600' to='localhost' wait='30'"
            + " hold='1' ver='1.11' xmpp:version='1.0' " + NS + " " + XBOSH + "/>"))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.headers().firstValue("Content-Encoding")).contains("gzip");
    assertThat(response.headers().firstValue("Content-Length"))
        .contains(Integer.toString(response.body().length));
    byte[] xml = new java.util.zip.GZIPInputStream(
        new java.io.ByteArrayInputStream(response.body())).readAllBytes();
    BodySchema.assertValid(new String(xml, StandardCharsets.UTF_8));
    Body body = parser.parse(xml);
    // §7.2: the codings Bindery decompresses are advertised
    assertThat(body.attribute(BodyAttribute.ACCEPT)).contains("gzip,deflate");
    assertThat(body.payloads()).isNotEmpty();
  }

  @Test
  void compressedRequestsAreInflated() throws Exception {
    String sid = createSession(700);
    byte[] gzip = ContentCoding.encode(("<body rid='701' sid='" + sid + "' " + NS + ">"
        + "<message to='b@localhost' id='zipped'/></body>").getBytes(StandardCharsets.UTF_8),
        "gzip").bytes();
    CompletableFuture<HttpResponse<String>> response = http.sendAsync(
        HttpRequest.newBuilder(bindery.endpoint())
            .header("Content-Encoding", "gzip")
            .POST(HttpRequest.BodyPublishers.ofByteArray(gzip)).build(),
        HttpResponse.BodyHandlers.ofString()).thenApply(BoshServletTest::validated);
    xmpp.connection(0).awaitReceived("id=\"zipped\"");
    xmpp.connection(0).send("<message id='answer'/>");
    assertThat(response.get(5, TimeUnit.SECONDS).body()).contains("answer");
  }

  @Test
  void requestsLargerThanAConnectionsInputBufferArriveWhole() throws Exception {
    String sid = createSession(800);
    String text = "x".repeat(5 * Listeners.INPUT_BUFFER_BYTES) + "-end";
    CompletableFuture<HttpResponse<String>> response = http.sendAsync(
        HttpRequest.newBuilder(bindery.endpoint())
            // headers alone over the input buffer, as a browser's cookies can be
            .header("Cookie", "c=" + "y".repeat(Listeners.INPUT_BUFFER_BYTES + 1_000))
            .POST(HttpRequest.BodyPublishers.ofString("<body rid='801' sid='" + sid + "' " + NS
                + "><message to='b@localhost' id='large'><body>" + text + "</body></message>"
                + "</body>"))
            .build(),
        HttpResponse.BodyHandlers.ofString()).thenApply(BoshServletTest::validated);
    xmpp.connection(0).awaitReceived(text + "</body>");
    xmpp.connection(0).send("<message id='answer'/>");
    assertThat(response.get(5, TimeUnit.SECONDS).body()).contains("answer");
  }

  @Test
  void compressionBombIsPolicyViolation() throws Exception {
    byte[] bomb = ContentCoding.encode(new byte[4 * 1024 * 1024], "gzip").bytes();
    HttpResponse<String> response = validated(http.send(HttpRequest.newBuilder(bindery.endpoint())
        .header("Content-Encoding", "gzip")
        .POST(HttpRequest.BodyPublishers.ofByteArray(bomb)).build(),
        HttpResponse.BodyHandlers.ofString()));
    assertThat(parse(response).condition()).contains(BindingCondition.POLICY_VIOLATION);
  }

  private String createSession(long rid) throws Exception {
    Body created = parse(post("<body rid='" + rid + "' to='localhost' wait='30' hold='1'"
        + " ver='1.11' xmpp:version='1.0' " + NS + " " + XBOSH + "/>"));
    return created.sid().orElseThrow();
  }

  private Body parse(HttpResponse<String> response) throws Exception {
    return parser.parse(response.body().getBytes(StandardCharsets.UTF_8));
  }

  /** Every answer: a 200 with content is a body valid against the XEP-0124 schema. */
  private static HttpResponse<String> validated(HttpResponse<String> response) {
    if (response.statusCode() == 200 && !response.body().isEmpty()) {
      BodySchema.assertValid(response.body());
    }
    return response;
  }

  private HttpResponse<String> post(String xml) throws Exception {
    return validated(http.send(request(bindery.endpoint(), xml),
        HttpResponse.BodyHandlers.ofString()));
  }

  private CompletableFuture<HttpResponse<String>> postAsync(String xml) {
    return http.sendAsync(request(bindery.endpoint(), xml), HttpResponse.BodyHandlers.ofString())
        .thenApply(BoshServletTest::validated);
  }

  private static HttpRequest request(URI endpoint, String xml) {
    return HttpRequest.newBuilder(endpoint)
        .timeout(Duration.ofSeconds(70))
        .header("Content-Type", "text/xml; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(xml))
        .build();
  }
}
