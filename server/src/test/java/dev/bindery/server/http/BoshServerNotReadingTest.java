package dev.bindery.server.http;

import static dev.bindery.server.http.ScriptedBindery.PATIENCE;
import static dev.bindery.server.http.ScriptedBindery.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.server.BoshHttpClient.Reply;
import dev.bindery.server.http.ScriptedBindery.Session;
import dev.bindery.server.upstream.UpstreamLimits;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A BOSH client that keeps sending to a server that has stopped reading (frozen, hung): what
 * waits in Bindery for the server is bounded by {@code upstream.max-buffered-bytes} beyond the
 * sockets' buffers, and the session then ends with {@code remote-connection-failed}, the client
 * told, instead of Bindery holding everything the client sends.
 */
class BoshServerNotReadingTest {

  /** 64 KiB of message per request. */
  private static final String MESSAGE = "<message xmlns='jabber:client' to='b@localhost'"
      + " type='chat'><body>" + "x".repeat(64 * 1024) + "</body></message>";
  /** Far more than loopback socket buffers hold: a flood that gets this far was not bounded. */
  private static final long FLOOD_BYTES = 256L << 20;

  private ScriptedBindery cm;

  @BeforeEach
  void start() throws Exception {
    cm = ScriptedBindery.start();
  }

  @AfterEach
  void stop() throws Exception {
    cm.close();
  }

  @Test
  void serverThatStopsReadingEndsTheSessionOfAClientThatKeepsSending() throws Exception {
    Session s = cm.open(1000);
    s.upstream().awaitReceived("<stream:stream");
    s.upstream().reading(false);

    long sent = 0;
    long rid = 1001;
    Body last = null;
    // one request held, the next one answering it: the client sends as fast as it is answered
    CompletableFuture<Reply> held = cm.client.postAsync(request(s.sid(), rid++, "", MESSAGE));
    while (sent < FLOOD_BYTES) {
      CompletableFuture<Reply> next = cm.client.postAsync(request(s.sid(), rid++, "", MESSAGE));
      sent += MESSAGE.length();
      last = held.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body();
      held = next;
      if (last.isTerminate()) {
        break;
      }
    }
    s.upstream().reading(true);

    assertThat(last).isNotNull();
    assertThat(last.isTerminate()).as("session ended after %d bytes sent", sent).isTrue();
    assertThat(last.condition()).contains(BindingCondition.REMOTE_CONNECTION_FAILED);
    assertThat(sent).as("bytes sent before the session ended")
        .isGreaterThan(UpstreamLimits.DEFAULT_MAX_BUFFERED_BYTES)
        .isLessThan(FLOOD_BYTES);
    cm.awaitGone(s.sid());
  }
}
