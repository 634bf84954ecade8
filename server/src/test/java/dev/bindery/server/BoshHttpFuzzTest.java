package dev.bindery.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.bindery.protocol.testing.BodySchema;
import dev.bindery.server.config.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.http.HttpTester;
import org.eclipse.jetty.server.LocalConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of the whole HTTP path, from the bytes of a request to Jetty's parser
 * through the BOSH servlet, the content codings and the body parser, over a {@link
 * LocalConnector} added to a running Bindery whose XMPP server refuses connections (so no
 * session outlives its request). Properties: every request is answered, in time; never with a
 * server error; and every XML answer at the BOSH path is a body valid by the XEP-0124 schema.
 */
class BoshHttpFuzzTest {

  private static final List<String> METHODS = List.of("POST", "GET", "OPTIONS", "PUT", "HEAD");
  private static final List<String> PATHS =
      List.of(Bindery.PATH, Bindery.PATH + "/", "/.well-known/host-meta", "/other");
  private static final List<String> HEADERS = List.of("Content-Encoding", "Content-Type",
      "Origin", "Forwarded", "X-Forwarded-For", "Accept-Encoding", "Content-Length",
      "Transfer-Encoding", "Expect", "Connection");
  private static final List<String> CODINGS = List.of("", "gzip", "deflate");
  /** What the front may answer with: BOSH's own legacy codes and Jetty's refusals. */
  private static final Set<Integer> STATUSES =
      Set.of(200, 204, 400, 403, 404, 405, 408, 411, 413, 414, 415, 417, 431, 501, 505);

  private static Bindery bindery;
  private static LocalConnector local;

  @BeforeAll
  static void start() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    bindery = Bindery.start(ServerConfig.builder().port(0).upstream("127.0.0.1", closed).build());
    local = new LocalConnector(bindery.http().jetty());
    bindery.http().jetty().addConnector(local);
    local.start();
  }

  @AfterAll
  static void stop() throws Exception {
    local.stop();
    bindery.close();
  }

  @FuzzTest
  void everyRequestIsAnsweredWithoutAServerError(FuzzedDataProvider data) throws Exception {
    String method = data.pickValue(METHODS);
    String path = data.pickValue(PATHS);
    String coding = data.pickValue(CODINGS);
    StringBuilder head = new StringBuilder(method).append(' ').append(path)
        .append(" HTTP/1.1\r\nHost: localhost\r\n");
    for (int i = data.consumeInt(0, 4); i > 0; i--) {
      // one request per input: no line breaks inside a header
      String value = data.consumeString(80).replace('\r', ' ').replace('\n', ' ');
      head.append(data.pickValue(HEADERS)).append(": ").append(value).append("\r\n");
    }
    byte[] body = encode(data.consumeRemainingAsBytes(), coding);
    if (!coding.isEmpty()) {
      head.append("Content-Encoding: ").append(coding).append("\r\n");
    }
    head.append("Content-Length: ").append(body.length).append("\r\n")
        .append("Connection: close\r\n\r\n");
    ByteBuffer request = ByteBuffer.allocate(head.length() * 4 + body.length);
    request.put(head.toString().getBytes(StandardCharsets.UTF_8)).put(body).flip();

    ByteBuffer raw = local.getResponse(request, 10, TimeUnit.SECONDS);
    assertThat(raw).as("an answer within 10 s").isNotNull();
    // an answer to HEAD has a Content-Length and no content
    HttpTester.Response response = method.equals("HEAD")
        ? HttpTester.parseHeadResponse(raw) : HttpTester.parseResponse(raw);
    assertThat(response).as("a complete HTTP response").isNotNull();
    assertThat(response.getStatus()).as(response.toString()).isIn(STATUSES);
    String type = response.get("Content-Type");
    if (path.startsWith(Bindery.PATH) && method.equals("POST") && response.getStatus() == 200
        && type != null && type.startsWith("text/xml") && response.get("Content-Encoding") == null
        && response.getContentBytes().length > 0) {
      // the bytes are UTF-8 whatever charset the client named in 'content' (§7.1), which Bindery
      // repeats as it is; "charset=utf-4" is the client's own business
      BodySchema.assertValid(new String(response.getContentBytes(), StandardCharsets.UTF_8));
    }
  }

  private static byte[] encode(byte[] bytes, String coding) throws IOException {
    if (coding.isEmpty()) {
      return bytes;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (var compressor = coding.equals("gzip")
        ? new GZIPOutputStream(out) : new DeflaterOutputStream(out)) {
      compressor.write(bytes);
    }
    return out.toByteArray();
  }
}
