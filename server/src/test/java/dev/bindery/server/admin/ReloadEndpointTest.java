package dev.bindery.server.admin;

import static dev.bindery.server.BoshHttpClient.NS;
import static dev.bindery.server.BoshHttpClient.XBOSH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.server.BoshHttpClient;
import dev.bindery.server.BoshHttpClient.Reply;
import dev.bindery.server.ReloadableBindery;
import dev.bindery.server.ScriptedXmppServer;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /reload} on the admin listener: what it answers, and that an invalid configuration
 * or a restart-only setting changes nothing in the running server.
 */
class ReloadEndpointTest {

  private ScriptedXmppServer xmpp;
  private ReloadableBindery cm;
  private BoshHttpClient client;

  @BeforeEach
  void start() throws Exception {
    xmpp = new ScriptedXmppServer();
    cm = ReloadableBindery.start(config("domains: [localhost]"));
    client = new BoshHttpClient(cm.bindery().endpoint());
  }

  @AfterEach
  void stop() throws Exception {
    try {
      cm.close();
    } finally {
      xmpp.close();
    }
  }

  @Test
  void invalidConfigurationIsA400AndTheRunningOneStaysInForce() throws Exception {
    String sid = create(1000, "localhost").sid().orElseThrow();
    CompletableFuture<Reply> held = client.postAsync("<body rid='1001' sid='" + sid + "' "
        + NS + "/>");
    cm.awaitMetric("bosh_requests_held 1\\.0");

    cm.rewrite(config("domains: [chat.test]\nsession:\n  max-wait: forever"));
    HttpResponse<String> invalid = cm.reload();
    cm.rewrite(config("domains: [chat.test]\n  - broken"));
    HttpResponse<String> broken = cm.reload();

    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(invalid.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    assertThat(invalid.body()).startsWith("invalid configuration, nothing changed: ")
        .contains("session.max-wait (").contains("invalid number: forever");
    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(broken.body()).contains("not valid YAML");
    // the session goes on, and localhost is still served
    xmpp.connection(0).send("<message from='juliet@localhost/balcony' id='still-here'/>");
    Body answer = held.get(30, TimeUnit.SECONDS).body();
    assertThat(answer.isTerminate()).isFalse();
    assertThat(answer.payloads()).singleElement()
        .satisfies(m -> assertThat(m.xml()).contains("still-here"));
    assertThat(create(2000, "localhost").isTerminate()).isFalse();
    assertThat(create(3000, "chat.test").condition()).contains(BindingCondition.HOST_UNKNOWN);
    assertThat(cm.bindery().meterRegistry().scrape())
        .contains("bosh_config_reloads_total{outcome=\"failure\"} 2.0")
        .doesNotContain("bosh_config_reloads_total{outcome=\"success\"}");
  }

  @Test
  void restartOnlySettingsAreNamedAndNotApplied() throws Exception {
    int port = cm.bindery().port();

    cm.rewrite(config("domains: [localhost, chat.test]\nsession:\n  max-wait: 20\n"
        + "limits:\n  max-sessions: 1").replace("port: 0\nadmin", "port: 1\nadmin"));
    HttpResponse<String> reload = cm.reload();

    assertThat(reload.statusCode()).isEqualTo(200);
    assertThat(reload.body()).isEqualTo("""
        reloaded
        domains added: chat.test
        domains retired: none
        domains changed: none
        sessions ended with host-gone: 0
        needs a restart, not applied: http.port, session.max-wait, limits.max-sessions
        """);
    assertThat(cm.bindery().port()).isEqualTo(port);
    Body first = create(1000, "localhost");
    assertThat(first.attribute(BodyAttribute.WAIT)).contains("60"); // not 20
    // a second session: limits.max-sessions 1 is not in force either
    assertThat(create(2000, "chat.test").isTerminate()).isFalse();
  }

  @Test
  void reloadIsPostOnly() throws Exception {
    HttpResponse<String> get = cm.admin("GET", "/reload");

    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).contains("POST");
    assertThat(cm.admin("PUT", "/reload").statusCode()).isEqualTo(405);
    assertThat(cm.admin("POST", "/metrics").statusCode()).isEqualTo(405);
    assertThat(cm.bindery().meterRegistry().scrape()).doesNotContain("bosh_config_reloads");
  }

  private String config(String rest) {
    return "http:\n  port: 0\nadmin:\n  port: 0\nupstream:\n  address: 127.0.0.1:"
        + xmpp.port() + "\n" + rest + "\n";
  }

  private Body create(long rid, String to) throws Exception {
    return client.post("<body rid='" + rid + "' to='" + to + "' wait='300' hold='1' ver='1.11'"
        + " xmpp:version='1.0' " + NS + " " + XBOSH + "/>").body();
  }
}
