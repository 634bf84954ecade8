package dev.bindery.server.http;

import static dev.bindery.server.http.ScriptedBindery.PATIENCE;
import static dev.bindery.server.http.ScriptedBindery.poll;
import static dev.bindery.server.http.ScriptedBindery.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.server.BoshHttpClient.Reply;
import dev.bindery.server.http.ScriptedBindery.Session;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * XEP-0124 v1.11.2 §10 "Inactivity" (https://xmpp.org/extensions/xep-0124.html#inactive), over
 * real HTTP, with {@code inactivity='2'}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpXep0124Section10InactivityTest {

  private ScriptedBindery cm;

  @BeforeAll
  void start() throws Exception {
    cm = ScriptedBindery.start(ScriptedBindery.FAST);
  }

  @AfterAll
  void stop() throws Exception {
    cm.close();
  }

  /*
   * "If the connection manager has responded to all the requests it has received within a
   * session and the time since its last response is longer than the maximum inactivity period,
   * then it SHOULD assume the client has been disconnected and terminate the session without
   * informing the client. If the client subsequently makes another request, then the connection
   * manager SHOULD respond as if the session does not exist."
   */
  @Test
  void sessionLeftAlonePastInactivityIsGone() throws Exception {
    Session s = cm.open(1000);

    cm.awaitGone(s.sid());

    s.upstream().awaitReceived("</stream:stream>", PATIENCE);
    Body next = cm.client.post(poll(s.sid(), 1001)).body();
    assertThat(next.isTerminate()).isTrue();
    assertThat(next.condition()).contains(BindingCondition.ITEM_NOT_FOUND);
  }

  /*
   * "If the connection manager has responded to all the requests it has received [...]": a
   * request held for longer than the inactivity period ('wait' 4 s) keeps the session alive.
   */
  @Test
  void requestHeldLongerThanInactivityKeepsTheSessionAlive() throws Exception {
    Session s = cm.open(2000, "wait='4'");

    assertThat(cm.client.postAsync(poll(s.sid(), 2001)).get(PATIENCE.toSeconds(),
        TimeUnit.SECONDS).body()).isEqualTo(Body.empty());

    CompletableFuture<Reply> next = cm.client.postAsync(request(s.sid(), 2002, "",
        "<message to='juliet@localhost' id='still-here'/>"));
    s.upstream().awaitReceived("id=\"still-here\"");
    s.upstream().send("<message id='welcome-back'/>");
    assertThat(next.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body().payloads())
        .singleElement().satisfies(m -> assertThat(m.xml()).contains("welcome-back"));
  }
}
