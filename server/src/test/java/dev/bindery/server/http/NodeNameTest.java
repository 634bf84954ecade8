package dev.bindery.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.server.BoshHttpClient.Reply;
import dev.bindery.server.config.ServerConfig;
import dev.bindery.server.http.ScriptedBindery.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code node.name}: a named node's sids start with its name, so a load balancer can route every
 * request of a session to it by the sid in the body; a sid naming another node is answered like
 * any unknown sid (XEP-0124 §14.3), never with a new session, and counted.
 */
class NodeNameTest {

  ScriptedBindery cm;

  @BeforeEach
  void start() throws Exception {
    cm = ScriptedBindery.start(ServerConfig.builder().nodeName("b7"));
  }

  @AfterEach
  void stop() throws Exception {
    cm.close();
  }

  @Test
  void sidsStartWithTheNodeNameAndKeep160RandomBits() throws Exception {
    Session first = cm.open(100);
    Session second = cm.open(200);

    for (Session s : new Session[] {first, second}) {
      // "b7." then 160 bits in unpadded URL-safe Base64: 27 characters
      assertThat(s.sid()).matches("b7\\.[A-Za-z0-9_-]{27}");
    }
    assertThat(first.sid()).isNotEqualTo(second.sid());
    assertThat(cm.alive(first.sid())).isTrue();
    assertThat(cm.alive(second.sid())).isTrue();
  }

  @Test
  void aSidOfAnotherNodeIsItemNotFoundAndCounted() throws Exception {
    Session mine = cm.open(100);
    String elsewhere = "b8" + mine.sid().substring(2);

    Reply reply = cm.client.post(ScriptedBindery.poll(elsewhere, 101));

    assertThat(reply.body().condition()).contains(BindingCondition.ITEM_NOT_FOUND);
    assertThat(reply.body().sid()).as("never a new session").isEmpty();
    assertThat(cm.bindery.sessions().size()).isEqualTo(1);
    assertThat(foreignSidRequests()).isEqualTo(1);
  }

  @Test
  void anUnknownSidOfThisNodeIsItemNotFoundButNotForeign() throws Exception {
    Reply reply = cm.client.post(ScriptedBindery.poll("b7.unknown", 1));

    assertThat(reply.body().condition()).contains(BindingCondition.ITEM_NOT_FOUND);
    assertThat(foreignSidRequests()).isZero();
  }

  @Test
  void anUnnamedNodesPlainSidIsNotForeign() throws Exception {
    Reply reply = cm.client.post(ScriptedBindery.poll("plainSidWithoutDot", 1));

    assertThat(reply.body().condition()).contains(BindingCondition.ITEM_NOT_FOUND);
    assertThat(foreignSidRequests()).isZero();
  }

  private double foreignSidRequests() {
    return cm.bindery.meterRegistry().scrape().lines()
        .filter(l -> l.startsWith("bosh_foreign_sid_requests_total "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst().orElseThrow();
  }
}
