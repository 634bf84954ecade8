package dev.bindery.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.session.SessionLimits;
import dev.bindery.server.Bindery;
import dev.bindery.server.config.ServerConfig;
import dev.bindery.server.it.ChildProcess;
import dev.bindery.server.it.FreePorts;
import dev.bindery.server.it.ProsodyServer;
import dev.bindery.server.it.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The shipped nginx site (deploy/nginx/) run by the real nginx in front of Bindery and a real
 * Prosody; only ports and certificate paths are changed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BinderyBehindNginxIT {

  static TempDir dir;
  static ProsodyServer prosody;
  static Bindery bindery;
  static ChildProcess nginx;
  static URI http;
  static URI https;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(ChildProcess.onPath("nginx") || Files.exists(Path.of("/usr/sbin/nginx")),
        "nginx is not installed");
    Assumptions.assumeTrue(Prosody.installed(), "Prosody is not installed");
    dir = new TempDir("bindery-nginx-it-");
    prosody = Prosody.start();
    bindery = Bindery.start(ServerConfig.builder().port(0)
        .upstream("127.0.0.1", prosody.c2sPort()).trustedProxies(List.of("127.0.0.1")).build());
    int httpPort = FreePorts.pick();
    int tlsPort = FreePorts.pick();
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048",
        "-nodes", "-days", "1", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key.toString(),
        "-out", cert.toString()).redirectErrorStream(true).start();
    openssl.getInputStream().readAllBytes();
    assertThat(openssl.waitFor(30, TimeUnit.SECONDS) && openssl.exitValue() == 0).isTrue();

    Path location = DeployFile.read("nginx/bindery-location.conf")
        .writeTo(dir.resolve("bindery-location.conf"));
    Path site = DeployFile.read("nginx/bindery.conf")
        .replace("server 127.0.0.1:5280", "server 127.0.0.1:" + bindery.port())
        .replace("listen 80;", "listen 127.0.0.1:" + httpPort + ";")
        .replace("listen 443 ssl", "listen 127.0.0.1:" + tlsPort + " ssl")
        .replace("/etc/ssl/certs/chat.example.com.pem", cert.toString())
        .replace("/etc/ssl/private/chat.example.com.key", key.toString())
        .replace("/etc/nginx/snippets/bindery-location.conf", location.toString())
        .writeTo(dir.resolve("bindery.conf"));
    Path main = dir.resolve("nginx.conf");
    Files.writeString(main, String.join("\n",
        "daemon off;",
        "master_process off;",
        "pid " + dir.resolve("nginx.pid") + ";",
        "error_log stderr warn;",
        "events { worker_connections 256; }",
        "http {",
        "  access_log off;",
        "  client_body_temp_path " + dir.resolve("body") + ";",
        "  proxy_temp_path " + dir.resolve("proxy") + ";",
        "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";",
        "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";",
        "  scgi_temp_path " + dir.resolve("scgi") + ";",
        "  include " + site + ";",
        "}", ""));
    String binary = ChildProcess.onPath("nginx") ? "nginx" : "/usr/sbin/nginx";
    ChildProcess check = ChildProcess.start("nginx-t", dir.path,
        List.of(binary, "-t", "-p", dir.path.toString(), "-e", "stderr", "-c", main.toString()));
    assertThat(check.waitFor(20)).as(check.outputText()).isZero();
    nginx = ChildProcess.start("nginx", dir.path,
        List.of(binary, "-p", dir.path.toString(), "-e", "stderr", "-c", main.toString()));
    nginx.awaitPort(httpPort);
    http = URI.create("http://127.0.0.1:" + httpPort + "/http-bind");
    https = URI.create("https://127.0.0.1:" + tlsPort + "/http-bind");
  }

  @AfterAll
  static void stop() throws Exception {
    try (TempDir d = dir; ProsodyServer p = prosody; ChildProcess n = nginx) {
      if (bindery != null) {
        bindery.close();
      }
    }
  }

  /** docs/operations.md: the proxy must wait longer than any held request. */
  @Test
  @Order(1)
  void proxyTimeoutsExceedTheLongestWaitWithMargin() throws Exception {
    String location = DeployFile.read("nginx/bindery-location.conf").text();
    for (String directive : List.of("proxy_read_timeout", "proxy_send_timeout")) {
      Matcher m = Pattern.compile(directive + " (\\d+)s;").matcher(location);
      assertThat(m.find()).as(directive).isTrue();
      assertThat(Integer.parseInt(m.group(1))).as(directive)
          .isGreaterThanOrEqualTo(SessionLimits.DEFAULT_MAX_WAIT + 30);
    }
    assertThat(location).contains("proxy_buffering off;");
  }

  @Test
  @Order(2)
  void twoUsersChatThroughNginx() throws Exception {
    try (BoshChat admin = new BoshChat(http); BoshChat myself = new BoshChat(http)) {
      String adminJid = admin.login("admin", "mypassword1");
      String myselfJid = myself.login("myself", "mypassword2");

      admin.message("myself@localhost", "hi myself, via nginx");
      myself.awaitMessage("hi myself, via nginx", 20);
      myself.message("admin@localhost", "hi admin, via nginx");
      admin.awaitMessage("hi admin, via nginx", 20);

      assertThat(adminJid).startsWith("admin@localhost/");
      assertThat(myselfJid).startsWith("myself@localhost/");
      admin.logout();
      myself.logout();
      assertThat(admin.failures).isEmpty();
      assertThat(myself.failures).isEmpty();
    }
  }

  /** The WebSocket location passes the upgrade on: a user logs in and talks over it. */
  @Test
  @Order(2)
  void aWebSocketClientLogsInThroughNginx() throws Exception {
    URI ws = URI.create("ws://127.0.0.1:" + http.getPort() + "/xmpp-websocket");
    try (WsClient admin = WsClient.connect(ws, "xmpp")) {
      String jid = admin.login("localhost", "admin", "mypassword1", "nginx");
      assertThat(jid).startsWith("admin@localhost/");
      admin.send("<iq xmlns='jabber:client' type='get' id='ping1'><ping xmlns='urn:xmpp:ping'/>"
          + "</iq>");
      assertThat(admin.nextContaining("ping1")).contains("type=\"result\"");
    }
  }

  /** XEP-0156 through the TLS server block: https and wss URLs on nginx's own address. */
  @Test
  @Order(3)
  void hostMetaThroughTheTlsBlockNamesSecureUrls() throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(trustAll()).build();
    URI hostMeta = https.resolve("/.well-known/host-meta");
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(hostMeta).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    String origin = "127.0.0.1:" + https.getPort();
    assertThat(response.body())
        .contains("href='https://" + origin + "/http-bind'")
        .contains("href='wss://" + origin + "/xmpp-websocket'");
  }

  @Test
  @Order(3)
  void theTlsServerBlockServesBoshWithCorsHeaders() throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(trustAll()).build();
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(https)
        .header("Origin", "https://chat.example.com")
        .POST(HttpRequest.BodyPublishers.ofString("<body rid='1' to='localhost' wait='5'"
            + " hold='1' ver='1.11' " + BoshChat.NS + "/>")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("sid=");
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
  }

  @Test
  @Order(4)
  void withBinderyDownNginxAnswersWithABoshTerminalBodyNotAnHtmlPage() throws Exception {
    bindery.close();
    bindery = null;
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(http)
        .header("Origin", "https://chat.example.com")
        .POST(HttpRequest.BodyPublishers.ofString("<body rid='1' to='localhost' wait='5'"
            + " hold='1' ver='1.11' " + BoshChat.NS + "/>")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
    Body body = new dev.bindery.protocol.body.BodyParser().parse(response.body().getBytes());
    assertThat(body.isTerminate()).isTrue();
    assertThat(body.condition()).contains(BindingCondition.REMOTE_CONNECTION_FAILED);
  }

  private static SSLContext trustAll() throws Exception {
    TrustManager trustAll = new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[] {trustAll}, new SecureRandom());
    return tls;
  }
}
