package dev.bindery.server.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.server.Bindery;
import dev.bindery.server.ScriptedXmppServer;
import dev.bindery.server.config.AdmissionLimits;
import dev.bindery.server.config.ServerConfig;
import dev.bindery.server.it.WsClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code limits.max-sessions} counts BOSH sessions and WebSocket streams together. */
class WebSocketAdmissionTest {

  private static final String OPEN =
      "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='localhost' version='1.0'/>";
  private static final String CREATE = "<body rid='1' to='localhost' wait='5' hold='1'"
      + " ver='1.6' xmlns='http://jabber.org/protocol/httpbind'/>";

  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private ScriptedXmppServer xmpp;
  private Bindery bindery;

  @BeforeEach
  void start() throws Exception {
    xmpp = new ScriptedXmppServer();
    bindery = Bindery.start(ServerConfig.builder().port(0).upstream("127.0.0.1", xmpp.port())
        .admission(new AdmissionLimits(1, 0)).build());
  }

  @AfterEach
  void stop() throws Exception {
    bindery.close();
    xmpp.close();
  }

  @Test
  void aBoshSessionLeavesNoRoomForAWebSocketStream() throws Exception {
    assertThat(post(CREATE)).contains("sid=");
    try (WsClient ws = WsClient.connect(bindery.webSocketEndpoint(), "xmpp")) {
      ws.send(OPEN);
      WsClient.expectOpen(ws.next());
      assertThat(ws.next()).contains("<resource-constraint");
      assertThat(ws.next()).startsWith("<close");
    }
    assertThat(bindery.meterRegistry().scrape())
        .contains("bosh_sessions_refused_total{reason=\"max_sessions\",transport=\"websocket\"} 1.0");
  }

  @Test
  void aWebSocketStreamLeavesNoRoomForABoshSession() throws Exception {
    try (WsClient ws = WsClient.connect(bindery.webSocketEndpoint(), "xmpp")) {
      ws.send(OPEN);
      WsClient.expectOpen(ws.next());
      assertThat(ws.nextContaining("features")).contains("mechanisms");
      assertThat(post(CREATE)).contains("condition=\"policy-violation\"");
    }
  }

  private String post(String body) throws Exception {
    return http.send(HttpRequest.newBuilder(bindery.endpoint())
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
