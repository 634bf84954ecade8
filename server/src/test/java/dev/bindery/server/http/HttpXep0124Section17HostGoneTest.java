package dev.bindery.server.http;

import static dev.bindery.server.BoshHttpClient.NS;
import static dev.bindery.server.BoshHttpClient.XBOSH;
import static dev.bindery.server.http.ScriptedBindery.PATIENCE;
import static dev.bindery.server.http.ScriptedBindery.poll;
import static dev.bindery.server.http.ScriptedBindery.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.protocol.testing.XmlTree;
import dev.bindery.server.BoshHttpClient;
import dev.bindery.server.BoshHttpClient.Reply;
import dev.bindery.server.ReloadableBindery;
import dev.bindery.server.ScriptedXmppServer;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.xml.namespace.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * XEP-0124 v1.11.2 §17.2 {@code host-gone}: "The target domain specified in the 'to' attribute
 * or the target host or port specified in the 'route' attribute is no longer serviced by the
 * connection manager." Over real HTTP: Bindery runs from a config file, which the test rewrites
 * and reloads with {@code POST /reload}; the XMPP server is scripted.
 */
class HttpXep0124Section17HostGoneTest {

  private ScriptedXmppServer xmpp;
  private ReloadableBindery cm;
  private BoshHttpClient client;

  @BeforeEach
  void startXmpp() throws Exception {
    xmpp = new ScriptedXmppServer();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (cm != null) {
        cm.close();
      }
    } finally {
      xmpp.close();
    }
  }

  /*
   * The held request learns host-gone as a terminal condition, the server stream is closed, and
   * a new session to the domain is refused as any unserved domain is: host-unknown.
   */
  @Test
  void retiredDomainEndsItsSessionsOnTheHeldRequestAndNewOnesGetHostUnknown() throws Exception {
    start("domains: [localhost, chat.test]");
    String sid = create(1000, "localhost", "");
    ScriptedXmppServer.Connection upstream = xmpp.connection(0);
    CompletableFuture<Reply> held = client.postAsync(poll(sid, 1001));
    cm.awaitMetric("bosh_requests_held 1\\.0");

    cm.rewrite(config("domains: [chat.test]"));
    HttpResponse<String> reload = cm.reload();

    assertThat(reload.statusCode()).isEqualTo(200);
    assertThat(reload.body()).contains("domains retired: localhost\n")
        .contains("sessions ended with host-gone: 1\n");
    Body ended = held.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body();
    assertThat(ended.isTerminate()).isTrue();
    assertThat(ended.condition()).contains(BindingCondition.HOST_GONE);
    upstream.awaitReceived("</stream:stream>");

    Body refused = client.post(creation(2000, "localhost", "")).body();
    assertThat(refused.condition()).contains(BindingCondition.HOST_UNKNOWN);
    assertThat(xmpp.accepted()).isEqualTo(1);
    Body served = client.post(creation(3000, "chat.test", "")).body();
    assertThat(served.isTerminate()).as(served.toString()).isFalse();
    assertThat(served.attribute(BodyAttribute.FROM)).contains("chat.test");

    assertThat(cm.bindery().meterRegistry().scrape())
        .contains("bosh_sessions_ended_total{condition=\"host-gone\",transport=\"bosh\"} 1.0")
        .contains("bosh_requests_total{condition=\"host-gone\",outcome=\"terminate\"} 1.0")
        .contains("bosh_config_reloads_total{outcome=\"success\"} 1.0");
  }

  /*
   * With no request held, the session learns host-gone on its next request; what the server
   * sent that the client will never collect goes back to the server (XEP-0206 §7) before the
   * stream is closed.
   */
  @Test
  void withNothingHeldTheNextRequestLearnsItAndUndeliveredStanzasAreBounced() throws Exception {
    start("domains: [localhost, chat.test]");
    String sid = create(1000, "localhost", "");
    ScriptedXmppServer.Connection upstream = xmpp.connection(0);
    upstream.send("<message from='juliet@localhost/balcony' type='chat' id='m1'>"
        + "<body>wherefore art thou</body></message>");
    cm.awaitMetric("bosh_buffered_bytes [1-9]");

    cm.rewrite(config("domains: [chat.test]"));
    assertThat(cm.reload().body()).contains("sessions ended with host-gone: 1\n");

    String received = upstream.awaitReceived("</stream:stream>");
    XmlTree bounce = XmlTree.parse(received).elements().stream()
        .filter(e -> e.name().getLocalPart().equals("message")).findFirst()
        .orElseThrow(() -> new AssertionError("no bounce in " + received));
    assertThat(bounce.attribute("type")).isEqualTo("error");
    assertThat(bounce.attribute("to")).isEqualTo("juliet@localhost/balcony");
    assertThat(bounce.toString()).contains("recipient-unavailable");
    Body next = client.post(poll(sid, 1001)).body();
    assertThat(next.isTerminate()).isTrue();
    assertThat(next.condition()).contains(BindingCondition.HOST_GONE);
    assertThat(next.payloads()).isEmpty();
  }

  /*
   * §16: a session may carry streams to several domains. When one of them is retired the whole
   * session ends with host-gone (a connection manager cannot close one stream alone with a
   * condition); a session whose streams are all still served goes on.
   */
  @Test
  void sessionWithAStreamToARetiredDomainEndsWholeAndOthersGoOn() throws Exception {
    start("domains: [localhost, chat.test]");
    String both = create(1000, "localhost", "");
    ScriptedXmppServer.Connection first = xmpp.connection(0);
    Body added = client.post(request(both, 1001, "to='chat.test' xmpp:version='1.0'", ""))
        .body();
    assertThat(added.attribute(BodyAttribute.STREAM)).isPresent();
    ScriptedXmppServer.Connection second = xmpp.connection(1);
    assertThat(second.awaitReceived("<stream:stream ")).contains("to='chat.test'");
    String one = create(2000, "localhost", "");
    ScriptedXmppServer.Connection other = xmpp.connection(2);
    CompletableFuture<Reply> heldBoth = client.postAsync(poll(both, 1002));
    CompletableFuture<Reply> heldOne = client.postAsync(poll(one, 2001));
    cm.awaitMetric("bosh_requests_held 2\\.0");

    cm.rewrite(config("domains: [localhost]"));
    assertThat(cm.reload().body()).contains("domains retired: chat.test\n")
        .contains("sessions ended with host-gone: 1\n");

    Body ended = heldBoth.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body();
    assertThat(ended.condition()).contains(BindingCondition.HOST_GONE);
    assertThat(ended.attribute(BodyAttribute.STREAM)).isEmpty(); // the session, not one stream
    first.awaitReceived("</stream:stream>");
    second.awaitReceived("</stream:stream>");

    other.send("<message from='juliet@localhost/balcony' id='still-here'/>");
    Body goesOn = heldOne.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body();
    assertThat(goesOn.isTerminate()).isFalse();
    assertThat(goesOn.payloads()).singleElement()
        .satisfies(m -> assertThat(m.xml()).contains("still-here"));
    assertThat(other.received()).doesNotContain("</stream:stream>");
  }

  /*
   * "[...] or the target host or port specified in the 'route' attribute is no longer serviced":
   * a route taken off the domain's allowlist ends the sessions that named it, and only those.
   */
  @Test
  void routeTakenOffTheAllowlistEndsTheSessionsThatNamedIt() throws Exception {
    String server = "127.0.0.1:" + xmpp.port();
    String domain = "{name: localhost, address: '" + server + "', tls: none,"
        + " allow-private-addresses: true";
    start("domains: [" + domain + ", route: ['" + server + "']}]");
    String routed = create(1000, "localhost", "route='xmpp:" + server + "'");
    ScriptedXmppServer.Connection routedUpstream = xmpp.connection(0);
    String direct = create(2000, "localhost", "");
    ScriptedXmppServer.Connection directUpstream = xmpp.connection(1);
    CompletableFuture<Reply> heldRouted = client.postAsync(poll(routed, 1001));
    CompletableFuture<Reply> heldDirect = client.postAsync(poll(direct, 2001));
    cm.awaitMetric("bosh_requests_held 2\\.0");

    cm.rewrite(config("domains: [" + domain + "}]"));
    assertThat(cm.reload().body()).contains("domains changed: localhost\n")
        .contains("sessions ended with host-gone: 1\n");

    Body ended = heldRouted.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body();
    assertThat(ended.condition()).contains(BindingCondition.HOST_GONE);
    routedUpstream.awaitReceived("</stream:stream>");
    directUpstream.send("<message from='juliet@localhost/balcony' id='still-here'/>");
    assertThat(heldDirect.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body().payloads())
        .singleElement().satisfies(m -> assertThat(m.xml()).contains("still-here"));
    Body refused = client.post(creation(3000, "localhost", "route='xmpp:" + server + "'"))
        .body();
    assertThat(refused.condition()).contains(BindingCondition.HOST_UNKNOWN);
  }

  private void start(String domains) throws Exception {
    cm = ReloadableBindery.start(config(domains));
    client = new BoshHttpClient(cm.bindery().endpoint());
  }

  /** Both listeners on free ports, plain-name domains relayed to the scripted server. */
  private String config(String domains) {
    return "http:\n  port: 0\nadmin:\n  port: 0\nupstream:\n  address: 127.0.0.1:"
        + xmpp.port() + "\n" + domains + "\n";
  }

  private String create(long rid, String to, String attributes) throws Exception {
    Body created = client.post(creation(rid, to, attributes)).body();
    return created.sid().orElseThrow(() -> new AssertionError("no session: " + created));
  }

  private static String creation(long rid, String to, String attributes) {
    return "<body rid='" + rid + "' to='" + to + "' wait='60' hold='1' ver='1.11'"
        + " xmpp:version='1.0' " + attributes + " " + NS + " " + XBOSH + "/>";
  }
}
