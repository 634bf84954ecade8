package dev.bindery.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.xml.stream.XMLStreamException;

/**
 * Thread-safe. A fake connection manager for tests: every POST is queued as a {@link Post}, and
 * the test answers it when and how it likes.
 */
final class ScriptedTransport implements BoshTransport {

  static final Duration AWAIT = Duration.ofSeconds(5);

  /** One request the client sent, waiting for the test's answer. */
  record Post(String xml, XmlElement body, CompletableFuture<String> response) {

    long rid() {
      return Long.parseLong(body.attribute("rid"));
    }

    void answer(String entity) {
      response.complete(entity);
    }

    /** Answers with a body in the httpbind namespace: {@code attributes} and {@code payloads}. */
    void answerBody(String attributes, String payloads) {
      answer(responseBody(attributes, payloads));
    }

    void answerEmpty() {
      answerBody("", "");
    }

    void fail(Throwable cause) {
      response.completeExceptionally(cause);
    }

    /** The one payload of this request. */
    XmlElement payload() {
      assertThat(body.children()).hasSize(1);
      return body.children().get(0);
    }
  }

  private final BlockingQueue<Post> posts = new LinkedBlockingQueue<>();

  /** A response body in the httpbind namespace with {@code attributes} and {@code payloads}. */
  static String responseBody(String attributes, String payloads) {
    return "<body xmlns='http://jabber.org/protocol/httpbind' "
        + "xmlns:stream='http://etherx.jabber.org/streams' " + attributes + ">" + payloads
        + "</body>";
  }

  @Override
  public CompletableFuture<String> post(String body, Duration timeout) {
    CompletableFuture<String> response = new CompletableFuture<>();
    try {
      posts.add(new Post(body, ResponseParser.parseElement(body), response));
    } catch (XMLStreamException e) {
      throw new AssertionError("client sent malformed XML: " + body, e);
    }
    return response;
  }

  /** The next request, waiting up to {@link #AWAIT} for it. */
  Post next() throws InterruptedException {
    Post post = posts.poll(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(post).as("a request within %s", AWAIT).isNotNull();
    return post;
  }

  /** Asserts that the client sent nothing more (so far). */
  void assertNoMorePosts() {
    assertThat(posts).isEmpty();
  }
}
