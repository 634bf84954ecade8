package dev.bindery.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyParser;
import dev.bindery.server.Bindery;
import dev.bindery.server.ScriptedXmppServer;
import dev.bindery.server.config.ServerConfig;
import dev.bindery.server.upstream.Endpoint;
import dev.bindery.server.upstream.UpstreamLimits;
import dev.bindery.server.upstream.UpstreamPolicy;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An element from the client over the limit ends the session with policy-violation. */
class ClientStanzaLimitTest {

  private static final String NS = "xmlns='http://jabber.org/protocol/httpbind'";

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void elementOverTheLimitIsPolicyViolationAndNeverRelayed() throws Exception {
    try (ScriptedXmppServer xmpp = new ScriptedXmppServer();
        Bindery bindery = Bindery.start(ServerConfig.builder().port(0).upstream(
            UpstreamPolicy.plainLoopback(new Endpoint("127.0.0.1", xmpp.port()),
                    List.of("localhost"))
                .withLimits(UpstreamLimits.DEFAULTS.withMaxClientStanzaChars(200))).build())) {
      String sid = post(bindery, "<body rid='10' to='localhost' wait='1' hold='1' ver='1.6' "
          + NS + "/>").sid().orElseThrow();
      Body small = post(bindery, "<body rid='11' sid='" + sid + "' " + NS
          + "><message to='a@localhost'><body>hi</body></message></body>");
      assertThat(small.isTerminate()).isFalse();
      Body big = post(bindery, "<body rid='12' sid='" + sid + "' " + NS
          + "><message to='a@localhost'><body>" + "x".repeat(300) + "</body></message></body>");
      assertThat(big.condition()).contains(BindingCondition.POLICY_VIOLATION);
      assertThat(xmpp.connection(0).awaitReceived("</stream:stream>")).contains("hi")
          .doesNotContain("xxxxxxxxxx");
      // the session leaves the registry on its event loop, just after its last writes
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (bindery.sessions().find(sid) != null && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(bindery.sessions().find(sid)).isNull();
    }
  }

  private Body post(Bindery bindery, String xml) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(bindery.endpoint())
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(xml)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return new BodyParser().parse(response.body().getBytes(StandardCharsets.UTF_8));
  }
}
