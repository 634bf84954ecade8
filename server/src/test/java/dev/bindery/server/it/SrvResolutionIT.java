package dev.bindery.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyParser;
import dev.bindery.server.Bindery;
import dev.bindery.server.config.ServerConfig;
import dev.bindery.server.upstream.DomainRoute;
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
 * DNS SRV against a real DNS server: dnsmasq on loopback publishes {@code _xmpp-client._tcp} and
 * {@code _xmpps-client._tcp} for a domain, pointing at a Prosody with a certificate for that
 * domain; Bindery asks that dnsmasq. The best-priority STARTTLS target is dead, so the next one
 * proves the order is followed past a failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SrvResolutionIT {

  private static final String NS = "xmlns='http://jabber.org/protocol/httpbind'";
  private static final String DOMAIN = "srv.bindery.test";
  private static final String NO_SERVICE = "nothing.bindery.test";

  private final Closer closer = new Closer();
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final BodyParser parser = new BodyParser();
  private TestCa ca;
  private DnsmasqServer dns;

  @BeforeAll
  void start() throws Exception {
    ca = closer.register(TestCa.create("Bindery test CA"));
    ProsodyServer prosody = closer.register(ProsodyServer.startWithTls(DOMAIN, ca.issue(DOMAIN)));
    int dead = FreePorts.pick(); // nothing listens there
    dns = closer.register(DnsmasqServer.start(List.of(
        DnsmasqServer.srv("_xmpp-client._tcp." + DOMAIN, "xmpp0.bindery.test", dead, 5, 0),
        DnsmasqServer.srv("_xmpp-client._tcp." + DOMAIN, "xmpp1.bindery.test",
            prosody.c2sPort(), 10, 50),
        DnsmasqServer.srv("_xmpps-client._tcp." + DOMAIN, "xmpp1.bindery.test",
            prosody.directTlsPort(), 20, 0),
        DnsmasqServer.srv("_xmpp-client._tcp." + NO_SERVICE, ".", 0, 0, 0),
        DnsmasqServer.host("xmpp0.bindery.test", "127.0.0.1"),
        DnsmasqServer.host("xmpp1.bindery.test", "127.0.0.1"))));
  }

  @AfterAll
  void stop() throws Exception {
    closer.close();
  }

  @Test
  void srvTargetsAreTriedInOrderWithStartTls() throws Exception {
    Body body = create(DOMAIN, srv(DOMAIN));
    assertThat(body.isTerminate()).isFalse();
    assertThat(body.payloads()).singleElement().satisfies(features -> assertThat(features.xml())
        .contains("<mechanism>PLAIN</mechanism>").doesNotContain("starttls"));
    assertThat(dns.log()).contains("_xmpp-client._tcp." + DOMAIN)
        .contains("_xmpps-client._tcp." + DOMAIN).contains("xmpp0.bindery.test");
  }

  @Test
  void directTlsUsesTheXmppsClientRecords() throws Exception {
    Body body = create(DOMAIN, srv(DOMAIN).withTls(TlsMode.DIRECT));
    assertThat(body.isTerminate()).isFalse();
    assertThat(body.payloads()).singleElement().satisfies(features -> assertThat(features.xml())
        .contains("<mechanism>PLAIN</mechanism>"));
  }

  @Test
  void srvTargetOfDotMeansNoServiceAndRemoteConnectionFailed() throws Exception {
    Body body = create(NO_SERVICE, srv(NO_SERVICE));
    assertThat(body.condition()).contains(BindingCondition.REMOTE_CONNECTION_FAILED);
  }

  @Test
  void srvTargetsOnPrivateAddressesAreRefusedByDefault() throws Exception {
    Body body = create(DOMAIN, srv(DOMAIN).withAllowPrivateAddresses(false));
    assertThat(body.condition()).contains(BindingCondition.REMOTE_CONNECTION_FAILED);
  }

  /** SRV with the defaults, except the test network: loopback, and the test CA. */
  private DomainRoute srv(String domain) {
    return DomainRoute.srv(domain).withTrustStore(ca.certificate())
        .withAllowPrivateAddresses(true);
  }

  private Body create(String domain, DomainRoute route) throws Exception {
    UpstreamPolicy policy = new UpstreamPolicy(List.of(route),
        UpstreamLimits.DEFAULTS.withConnectTimeoutMillis(2_000), List.of(dns.address()));
    try (Bindery bindery = Bindery.start(
        ServerConfig.builder().port(0).upstream(policy).build())) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(bindery.endpoint())
          .timeout(Duration.ofSeconds(30))
          .POST(HttpRequest.BodyPublishers.ofString("<body rid='100' to='" + domain + "'"
              + " wait='30' hold='1' ver='1.6' xmpp:version='1.0'"
              + " xmlns:xmpp='urn:xmpp:xbosh' " + NS + "/>")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      return parser.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }
  }
}
