package dev.bindery.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyParser;
import dev.bindery.server.Bindery;
import dev.bindery.server.ScriptedXmppServer;
import dev.bindery.server.config.ServerConfig;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * XEP-0124 v1.11.2 §19 "Security Considerations" (https://xmpp.org/extensions/xep-0124.html#security)
 * over HTTP, with TLS terminated by a trusted reverse proxy that says so in
 * {@code X-Forwarded-Proto}.
 */
class HttpXep0124Section19SecurityTest {

  private static final String NS = "xmlns='http://jabber.org/protocol/httpbind'";

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final BodyParser parser = new BodyParser();
  private ScriptedXmppServer xmpp;
  private Bindery bindery;

  @BeforeEach
  void start() throws Exception {
    xmpp = new ScriptedXmppServer();
    bindery = Bindery.start(ServerConfig.builder().port(0)
        .upstream("127.0.0.1", xmpp.port())
        .trustedProxies(List.of("127.0.0.1")).build());
  }

  @AfterEach
  void stop() throws Exception {
    bindery.close();
    xmpp.close();
  }

  /*
   * "If a session is created over an encrypted connection, then all subsequent requests in that
   * session MUST be made over encrypted connections." / "If the connection manager receives a
   * request [...] over an unencrypted connection [...] it SHOULD simply close the connection and
   * SHOULD NOT terminate the session, since the request could be a denial of service attack."
   */
  @Test
  void insecureRequestInASecureSessionIsDroppedAndTheSessionLivesOn() throws Exception {
    Body created = parse(send(post("<body rid='900' to='localhost' wait='30' hold='1'"
        + " ver='1.11' " + NS + "/>", true)));
    String sid = created.sid().orElseThrow();

    assertThatThrownBy(() -> send(post("<body rid='901' sid='" + sid + "' " + NS + ">"
        + "<message to='b@localhost' id='forged'/></body>", false)))
        .isInstanceOf(IOException.class);

    CompletableFuture<HttpResponse<String>> genuine = http.sendAsync(post("<body rid='901' sid='"
        + sid + "' " + NS + "><message to='b@localhost' id='genuine'/></body>", true),
        HttpResponse.BodyHandlers.ofString());
    String received = xmpp.connection(0).awaitReceived("id=\"genuine\"");
    assertThat(received).doesNotContain("forged");
    xmpp.connection(0).send("<message id='reply'/>");
    assertThat(genuine.get(10, TimeUnit.SECONDS).body()).contains("reply");
  }

  /* A session created over plain HTTP may go on over plain HTTP. */
  @Test
  void plainSessionAcceptsPlainRequests() throws Exception {
    String sid = parse(send(post("<body rid='950' to='localhost' wait='30' hold='1'"
        + " ver='1.11' " + NS + "/>", false))).sid().orElseThrow();
    CompletableFuture<HttpResponse<String>> next = http.sendAsync(post("<body rid='951' sid='"
        + sid + "' " + NS + "><message id='plain'/></body>", false),
        HttpResponse.BodyHandlers.ofString());
    xmpp.connection(0).awaitReceived("id=\"plain\"");
    xmpp.connection(0).send("<message id='reply'/>");
    assertThat(next.get(10, TimeUnit.SECONDS).body()).contains("reply");
  }

  private HttpRequest post(String xml, boolean viaHttpsProxy) {
    HttpRequest.Builder b = HttpRequest.newBuilder(bindery.endpoint())
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(xml));
    if (viaHttpsProxy) {
      b.header("X-Forwarded-Proto", "https");
    }
    return b.build();
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private Body parse(HttpResponse<String> response) throws Exception {
    return parser.parse(response.body().getBytes(StandardCharsets.UTF_8));
  }
}
