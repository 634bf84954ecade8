package dev.bindery.server.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.server.Bindery;
import dev.bindery.server.ScriptedXmppServer;
import dev.bindery.server.config.DiscoveryConfig;
import dev.bindery.server.config.ServerConfig;
import dev.bindery.server.config.WebSocketConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the HTTP listener serves besides BOSH and WebSocket: XEP-0156 host-meta naming the
 * configured public URLs, and the static files of {@code http.web-root}, with BOSH unharmed.
 */
class SiteAndDiscoveryTest {

  private static final URI PUBLIC_BOSH = URI.create("https://chat.example.com/http-bind");
  private static final URI PUBLIC_WS = URI.create("wss://chat.example.com/xmpp-websocket");

  @TempDir
  Path site;
  private ScriptedXmppServer xmpp;
  private Bindery bindery;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws Exception {
    Files.writeString(site.resolve("index.html"), "<!doctype html><title>chat</title>");
    Files.writeString(site.resolve("app.js"), "console.log('chat');");
    xmpp = new ScriptedXmppServer();
    bindery = Bindery.start(ServerConfig.builder().port(0).upstream("127.0.0.1", xmpp.port())
        .webRoot(site).discovery(new DiscoveryConfig(PUBLIC_BOSH, PUBLIC_WS)).build());
  }

  @AfterEach
  void stop() throws Exception {
    bindery.close();
    xmpp.close();
  }

  @Test
  void hostMetaNamesTheConfiguredPublicUrls() throws Exception {
    HttpResponse<String> xrd = get("/.well-known/host-meta");
    assertThat(xrd.statusCode()).isEqualTo(200);
    assertThat(xrd.body()).contains("<XRD xmlns='http://docs.oasis-open.org/ns/xri/xrd-1.0'>")
        .contains("<Link rel='urn:xmpp:alt-connections:xbosh' href='" + PUBLIC_BOSH + "'/>")
        .contains("<Link rel='urn:xmpp:alt-connections:websocket' href='" + PUBLIC_WS + "'/>");
    HttpResponse<String> jrd = get("/.well-known/host-meta.json");
    assertThat(jrd.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(jrd.body()).isEqualTo("{\"links\":["
        + "{\"rel\":\"urn:xmpp:alt-connections:xbosh\",\"href\":\"" + PUBLIC_BOSH + "\"},"
        + "{\"rel\":\"urn:xmpp:alt-connections:websocket\",\"href\":\"" + PUBLIC_WS + "\"}]}\n");
  }

  @Test
  void hostMetaAnswersPreflightsAndRefusesOtherMethods() throws Exception {
    HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(
        bindery.endpoint().resolve("/.well-known/host-meta.json"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://elsewhere.example")
        .header("Access-Control-Request-Method", "GET").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(
        bindery.endpoint().resolve("/.well-known/host-meta"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  @Test
  void webRootServesItsFilesAndIndex() throws Exception {
    HttpResponse<String> index = get("/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.body()).contains("<title>chat</title>");
    assertThat(index.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    HttpResponse<String> script = get("/app.js");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.body()).isEqualTo("console.log('chat');");
    assertThat(get("/missing.js").statusCode()).isEqualTo(404);
    assertThat(get("/../etc/passwd").statusCode()).isIn(400, 404);
  }

  @Test
  void boshStillAnswersBesideTheWebRoot() throws Exception {
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(bindery.endpoint())
        .POST(HttpRequest.BodyPublishers.ofString("<body rid='1' to='localhost' wait='5'"
            + " hold='1' ver='1.6' xmlns='http://jabber.org/protocol/httpbind'/>")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).isEqualTo(200);
    assertThat(created.body()).contains("sid=");
  }

  @Test
  void withWebSocketOffHostMetaNamesBoshAlone() throws Exception {
    try (Bindery boshOnly = Bindery.start(ServerConfig.builder().port(0)
        .upstream("127.0.0.1", xmpp.port())
        .webSocket(new WebSocketConfig(false, WebSocketConfig.DEFAULT_PATH,
            Duration.ofSeconds(30), Duration.ofSeconds(90))).build())) {
      HttpResponse<String> xrd = http.send(HttpRequest.newBuilder(
          boshOnly.endpoint().resolve("/.well-known/host-meta")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(xrd.body()).contains("urn:xmpp:alt-connections:xbosh")
          .doesNotContain("urn:xmpp:alt-connections:websocket");
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(bindery.endpoint().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
