package dev.bindery.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyParser;
import dev.bindery.server.Bindery;
import dev.bindery.server.config.ServerConfig;
import dev.bindery.server.upstream.DomainRoute;
import dev.bindery.server.upstream.Endpoint;
import dev.bindery.server.upstream.TlsMode;
import dev.bindery.server.upstream.UpstreamLimits;
import dev.bindery.server.upstream.UpstreamPolicy;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * TLS from Bindery to a real Prosody with certificates from a test CA: STARTTLS (required by
 * Prosody), direct TLS (XEP-0368), and the failures: an untrusted CA, a certificate for another
 * name, plain TCP to a server that requires TLS, a private address not allowed. A failure is
 * {@code remote-connection-failed} and the client sees nothing of the server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamTlsIT {

  private static final String NS = "xmlns='http://jabber.org/protocol/httpbind'";
  private static final String DOMAIN = ChatScenario.DOMAIN;

  private final Closer closer = new Closer();
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final BodyParser parser = new BodyParser();
  private TestCa ca;
  private TestCa untrusted;
  private ProsodyServer prosody;
  private ProsodyServer wrongName;

  @BeforeAll
  void start() throws Exception {
    ca = closer.register(TestCa.create("Bindery test CA"));
    untrusted = closer.register(TestCa.create("Some other CA"));
    prosody = closer.register(ProsodyServer.startWithTls(DOMAIN, ca.issue(DOMAIN)));
    wrongName = closer.register(ProsodyServer.startWithTls(DOMAIN, ca.issue("other.example")));
  }

  @AfterAll
  void stop() throws Exception {
    closer.close();
  }

  @Test
  void startTlsWithTheTrustedCaGivesTheFeaturesAfterTls() throws Exception {
    Body body = create(trusting(ca, prosody.c2sPort()));
    assertThat(body.isTerminate()).isFalse();
    // Prosody offers SASL only once the stream is encrypted; STARTTLS itself stays hidden
    assertThat(body.payloads()).singleElement().satisfies(features -> assertThat(features.xml())
        .contains("<mechanism>PLAIN</mechanism>").doesNotContain("starttls"));
  }

  @Test
  void directTlsGivesTheFeatures() throws Exception {
    Body body = create(trusting(ca, prosody.directTlsPort()).withTls(TlsMode.DIRECT));
    assertThat(body.isTerminate()).isFalse();
    assertThat(body.payloads()).singleElement().satisfies(features -> assertThat(features.xml())
        .contains("<mechanism>PLAIN</mechanism>"));
  }

  @Test
  void untrustedCertificateIsRemoteConnectionFailed() throws Exception {
    assertFailed(create(trusting(untrusted, prosody.c2sPort())));
    assertFailed(create(trusting(untrusted, prosody.directTlsPort()).withTls(TlsMode.DIRECT)));
  }

  @Test
  void certificateForAnotherNameIsRemoteConnectionFailed() throws Exception {
    assertFailed(create(trusting(ca, wrongName.c2sPort())));
    assertFailed(create(trusting(ca, wrongName.directTlsPort()).withTls(TlsMode.DIRECT)));
  }

  @Test
  void plainTcpToAServerThatRequiresTlsIsRemoteConnectionFailed() throws Exception {
    assertFailed(create(trusting(ca, prosody.c2sPort()).withTls(TlsMode.NONE)));
  }

  @Test
  void loopbackServerIsNotDialedUnlessPrivateAddressesAreAllowed() throws Exception {
    assertFailed(create(trusting(ca, prosody.c2sPort()).withAllowPrivateAddresses(false)));
  }

  private DomainRoute trusting(TestCa trusted, int port) {
    return DomainRoute.fixed(DOMAIN, new Endpoint(prosody.host(), port))
        .withTrustStore(trusted.certificate())
        .withAllowPrivateAddresses(true);
  }

  private static void assertFailed(Body body) {
    assertThat(body.isTerminate()).isTrue();
    assertThat(body.condition()).contains(BindingCondition.REMOTE_CONNECTION_FAILED);
    assertThat(body.payloads()).isEmpty();
  }

  private Body create(DomainRoute route) throws Exception {
    UpstreamPolicy policy = new UpstreamPolicy(List.of(route),
        UpstreamLimits.DEFAULTS.withFeaturesTimeoutMillis(5_000), List.of());
    try (Bindery bindery = Bindery.start(
        ServerConfig.builder().port(0).upstream(policy).build())) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(bindery.endpoint())
          .timeout(Duration.ofSeconds(30))
          .POST(HttpRequest.BodyPublishers.ofString("<body rid='100' to='" + DOMAIN + "'"
              + " wait='30' hold='1' ver='1.6' xmpp:version='1.0'"
              + " xmlns:xmpp='urn:xmpp:xbosh' " + NS + "/>")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      return parser.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }
  }
}
