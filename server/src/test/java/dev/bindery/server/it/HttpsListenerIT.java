package dev.bindery.server.it;

import static dev.bindery.server.BoshHttpClient.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bindery.protocol.body.Body;
import dev.bindery.server.Bindery;
import dev.bindery.server.BoshHttpClient;
import dev.bindery.server.config.ServerConfig;
import dev.bindery.server.config.HttpsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Bindery's own HTTPS listener (XEP-0124 §19), with a certificate from a throwaway CA, in front
 * of a real Prosody: a user logs in over HTTPS; a request for that secure session over plain HTTP
 * gets its connection closed and no answer (§19.1.3), and the session goes on over HTTPS with the
 * same rid. Every body is checked against the XEP-0124 schema by {@link BoshHttpClient}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a guard against hangs
class HttpsListenerIT {

  private static final String DOMAIN = ChatScenario.DOMAIN;

  private final Closer closer = new Closer();
  private Bindery bindery;
  private SSLContext trustingTheCa;

  @BeforeAll
  void start() throws Exception {
    ProsodyServer prosody = closer.register(ProsodyServer.start(DOMAIN));
    prosody.register(ChatScenario.MYSELF, ChatScenario.MYSELF_PASSWORD);
    TestCa ca = closer.register(TestCa.create("Bindery test CA"));
    TestCa.Issued issued = ca.issue("bindery.test", "DNS:bindery.test,IP:127.0.0.1");
    trustingTheCa = trusting(ca);
    bindery = closer.register(Bindery.start(ServerConfig.builder().port(0)
        .upstream(prosody.host(), prosody.c2sPort())
        .domains(List.of(DOMAIN))
        .https(new HttpsConfig(0, issued.certificate(), issued.key())).build()));
  }

  @AfterAll
  void stop() throws Exception {
    closer.close();
  }

  @Test
  void secureSessionLogsInOverHttpsAndAPlainRequestIsDroppedWithoutEndingIt() throws Exception {
    BoshHttpClient https = new BoshHttpClient(httpsEndpoint(), trustingTheCa);
    RawBoshSession session = RawBoshSession.create(https, DOMAIN, "");
    session.login(null, ChatScenario.MYSELF, ChatScenario.MYSELF_PASSWORD, "tls");

    long next = session.lastRid() + 1;
    BoshHttpClient plain = new BoshHttpClient(bindery.endpoint());
    assertThatThrownBy(() -> plain.post("<body rid='" + next + "' sid='" + session.sid() + "' "
        + NS + "/>")).as("§19.1.3: the plain request's connection is closed, unanswered")
        .isInstanceOf(IOException.class);

    Body answer = session.send("", "<presence xmlns='jabber:client'/>");
    assertThat(answer.isTerminate()).as("the session lives on over HTTPS: %s", answer).isFalse();
    assertThat(session.lastRid()).isEqualTo(next);
  }

  @Test
  void browserLikeClientIsOfferedH2ByAlpnAndLogsInOverIt() throws Exception {
    BoshHttpClient h2 = BoshHttpClient.http2(httpsEndpoint(), trustingTheCa);
    RawBoshSession session = RawBoshSession.create(h2, DOMAIN, "");
    session.login(null, ChatScenario.MYSELF, ChatScenario.MYSELF_PASSWORD, "h2");

    BoshHttpClient.Reply answer = h2.post("<body rid='" + (session.lastRid() + 1) + "' sid='"
        + session.sid() + "' " + NS + "><presence xmlns='jabber:client'/></body>");
    assertThat(answer.version()).as("ALPN chose h2").isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(answer.body().isTerminate()).as("%s", answer.text()).isFalse();
  }

  /** The HTTPS listener serves XMPP over WebSocket too: wss, as RFC 7395 §3.9 asks. */
  @Test
  void webSocketOverTlsLogsIn() throws Exception {
    URI wss = URI.create("wss://127.0.0.1:" + bindery.httpsPort() + "/xmpp-websocket");
    try (WsClient ws = WsClient.connectSecure(wss, trustingTheCa, "xmpp")) {
      assertThat(ws.login(DOMAIN, ChatScenario.MYSELF, ChatScenario.MYSELF_PASSWORD, "wss"))
          .startsWith(ChatScenario.MYSELF + "@" + DOMAIN + "/");
    }
  }

  @Test
  void plainListenerStillServesOtherSessions() throws Exception {
    Body created = new BoshHttpClient(bindery.endpoint()).post("<body rid='1' to='" + DOMAIN
        + "' wait='5' hold='1' ver='1.11' " + NS + "/>").body();

    assertThat(created.sid()).isPresent();
  }

  private URI httpsEndpoint() {
    return URI.create("https://127.0.0.1:" + bindery.httpsPort() + "/http-bind");
  }

  private static SSLContext trusting(TestCa ca) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(ca.certificate())) {
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
          .generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    return tls;
  }
}
