package dev.bindery.server.it;

import static dev.bindery.server.BoshHttpClient.NS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.testing.XmlTree;
import dev.bindery.protocol.xmpp.Stanza;
import dev.bindery.server.BoshHttpClient;
import dev.bindery.server.ReloadableBindery;
import dev.bindery.server.it.RawBoshSession.Exchange;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * XEP-0124 §17.2 {@code host-gone} end to end: a user logged in through Bindery to a real
 * Prosody, Bindery's config file rewritten without the user's domain and reloaded with {@code
 * POST /reload}. Every body is checked against the XEP-0124 schema by {@link BoshHttpClient}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a guard against hangs
class HostGoneThroughBinderyProsodyIT {

  private static final String DOMAIN = ChatScenario.DOMAIN;

  private final Closer closer = new Closer();
  private ProsodyServer prosody;
  private ReloadableBindery bindery;
  private URI endpoint;

  @BeforeAll
  void start() throws Exception {
    prosody = closer.register(ProsodyServer.start(DOMAIN));
    prosody.register(ChatScenario.ADMIN, ChatScenario.ADMIN_PASSWORD);
    prosody.register(ChatScenario.MYSELF, ChatScenario.MYSELF_PASSWORD);
    bindery = closer.register(ReloadableBindery.start(config(DOMAIN)));
    endpoint = bindery.bindery().endpoint();
  }

  @AfterAll
  void stop() throws Exception {
    closer.close();
  }

  @Test
  void loggedInSessionOfARetiredDomainEndsWithHostGoneAndTheServerLetsItGo() throws Exception {
    RawBoshSession admin = RawBoshSession.create(endpoint, DOMAIN, "wait='60'");
    String adminJid = admin.login(null, ChatScenario.ADMIN, ChatScenario.ADMIN_PASSWORD,
        "retired");
    admin.send("", "<presence xmlns='jabber:client'/>");
    CompletableFuture<Exchange> held = admin.sendAsync("", "");
    bindery.awaitMetric("bosh_requests_held 1\\.0");

    bindery.rewrite(config("other.test"));
    HttpResponse<String> retired = bindery.reload();

    assertThat(retired.statusCode()).as(retired.body()).isEqualTo(200);
    assertThat(retired.body()).contains("domains added: other.test\n")
        .contains("domains retired: " + DOMAIN + "\n")
        .contains("sessions ended with host-gone: 1\n");
    Body ended = held.get(30, TimeUnit.SECONDS).body();
    assertThat(ended.isTerminate()).isTrue();
    assertThat(ended.condition()).contains(BindingCondition.HOST_GONE);
    Body refused = new BoshHttpClient(endpoint).post("<body rid='1' to='" + DOMAIN + "'"
        + " wait='60' hold='1' ver='1.11' " + NS + "/>").body();
    assertThat(refused.condition()).contains(BindingCondition.HOST_UNKNOWN);

    // serve the domain again: new sessions work at once, and Prosody let the old one go
    bindery.rewrite(config(DOMAIN));
    assertThat(bindery.reload().body()).contains("domains added: " + DOMAIN + "\n")
        .contains("sessions ended with host-gone: 0\n");
    RawBoshSession myself = RawBoshSession.create(endpoint, DOMAIN, "");
    myself.login(null, ChatScenario.MYSELF, ChatScenario.MYSELF_PASSWORD, "after");
    myself.send("", "<iq xmlns='jabber:client' type='get' id='ping-gone' to='" + adminJid
        + "'><ping xmlns='urn:xmpp:ping'/></iq>");
    Stanza answer = myself.await(null,
        s -> s.localName().equals("iq") && s.xml().contains("ping-gone"));
    assertThat(XmlTree.parse(answer.xml()).attribute("type")).as(answer.xml())
        .isEqualTo("error");
    assertThat(answer.xml()).contains("service-unavailable");
    Body end = myself.send("type='terminate'", "");
    assertThat(end.isTerminate()).isTrue();
  }

  /** The same over WebSocket: the retired domain's stream ends with a host-gone stream error. */
  @Test
  void webSocketStreamOfARetiredDomainEndsWithHostGone() throws Exception {
    URI ws = URI.create("ws://127.0.0.1:" + bindery.bindery().port() + "/xmpp-websocket");
    try (WsClient admin = WsClient.connect(ws, "xmpp")) {
      admin.login(DOMAIN, ChatScenario.ADMIN, ChatScenario.ADMIN_PASSWORD, "retired-ws");
      bindery.rewrite(config("other.test"));
      HttpResponse<String> retired = bindery.reload();
      assertThat(retired.body()).contains("sessions ended with host-gone: 1\n");
      assertThat(admin.nextContaining("<stream:error")).contains("<host-gone");
      assertThat(admin.next()).startsWith("<close");
      assertThat(admin.awaitClose(WsClient.TIMEOUT)).isEqualTo(1000);
    } finally {
      bindery.rewrite(config(DOMAIN));
      bindery.reload();
    }
  }

  /** Bindery's config file: free ports, {@code domain} relayed to Prosody over plain TCP. */
  private String config(String domain) {
    return "http:\n  port: 0\nadmin:\n  port: 0\nupstream:\n  address: " + prosody.host() + ":"
        + prosody.c2sPort() + "\ndomains: [" + domain + "]\n";
  }
}
