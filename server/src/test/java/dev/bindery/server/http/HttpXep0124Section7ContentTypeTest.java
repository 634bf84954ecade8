package dev.bindery.server.http;

import static dev.bindery.server.http.ScriptedBindery.PATIENCE;
import static dev.bindery.server.http.ScriptedBindery.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.server.BoshHttpClient.Reply;
import dev.bindery.server.http.ScriptedBindery.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * XEP-0124 v1.11.2 §7.1 "Session Creation Request"
 * (https://xmpp.org/extensions/xep-0124.html#session-request), the {@code content} attribute,
 * over real HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpXep0124Section7ContentTypeTest {

  private ScriptedBindery cm;

  @BeforeAll
  void start() throws Exception {
    cm = ScriptedBindery.start();
  }

  @AfterAll
  void stop() throws Exception {
    cm.close();
  }

  /*
   * "The <body/> element of the first request MAY possess a 'content' attribute. This specifies
   * the value of the HTTP Content-Type header that MUST appear in all the connection manager's
   * responses during the session."
   */
  @Test
  void contentAttributeIsTheContentTypeOfEveryResponse() throws Exception {
    List<Reply> replies = session(1000, "content='text/html; charset=utf-8'");

    assertThat(replies).hasSize(4).allSatisfy(r ->
        assertThat(mediaType(r)).isEqualTo("text/html;charset=utf-8"));
  }

  /*
   * "If the client request does not possess a 'content' attribute, then the HTTP Content-Type
   * header of responses MUST be "text/xml; charset=utf-8"."
   */
  @Test
  void withoutContentEveryResponseIsTextXmlUtf8() throws Exception {
    List<Reply> replies = session(2000, "");

    assertThat(replies).hasSize(4).allSatisfy(r ->
        assertThat(mediaType(r)).isEqualTo("text/xml;charset=utf-8"));
  }

  /**
   * A whole session: creation, a held request answered with data, a resent one answered from the
   * buffer, and the termination.
   */
  private List<Reply> session(long rid, String attributes) throws Exception {
    List<Reply> replies = new ArrayList<>();
    Session s = cm.open(rid, attributes);
    replies.add(s.creation());
    String held = request(s.sid(), rid + 1, "", "<message to='juliet@localhost' id='c" + rid
        + "'/>");
    CompletableFuture<Reply> answered = cm.client.postAsync(held);
    s.upstream().awaitReceived("id=\"c" + rid + "\"");
    s.upstream().send("<message id='d" + rid + "'/>");
    replies.add(answered.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
    replies.add(cm.client.post(held));
    replies.add(cm.client.post(request(s.sid(), rid + 2, "type='terminate'", "")));
    assertThat(replies).extracting(Reply::status).containsOnly(200);
    assertThat(replies.get(1).body().payloads()).isNotEmpty();
    assertThat(replies.get(2).tree()).isEqualTo(replies.get(1).tree());
    assertThat(replies.get(3).body().isTerminate()).isTrue();
    return replies;
  }

  /** The Content-Type header, lower-cased and without blanks, as a comparable value. */
  private static String mediaType(Reply reply) {
    return reply.header("Content-Type").orElse("").replace(" ", "").toLowerCase(Locale.ROOT);
  }
}
