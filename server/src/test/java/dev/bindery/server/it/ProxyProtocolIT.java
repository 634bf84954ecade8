package dev.bindery.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.server.Bindery;
import dev.bindery.server.config.ServerConfig;
import dev.bindery.server.upstream.DomainRoute;
import dev.bindery.server.upstream.Endpoint;
import dev.bindery.server.upstream.ProxyProtocol;
import dev.bindery.server.upstream.UpstreamLimits;
import dev.bindery.server.upstream.UpstreamPolicy;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The browser's address reaches a real ejabberd: Bindery sends a PROXY header (v1 and v2) to
 * ejabberd's {@code use_proxy_protocol: true} listener, and {@code ejabberdctl
 * connected_users_info} shows the IP ejabberd recorded for the session. {@code X-Forwarded-For}
 * counts only from a trusted proxy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyProtocolIT {

  private static final String DOMAIN = ChatScenario.DOMAIN;
  private static final String BROWSER = "203.0.113.7";

  private final Closer closer = new Closer();
  private EjabberdServer ejabberd;

  @BeforeAll
  void start() throws Exception {
    ejabberd = closer.register(EjabberdServer.startWithProxyProtocol(DOMAIN));
    ejabberd.register("trusted", "secret");
    ejabberd.register("untrusted", "secret");
    ejabberd.register("websocket", "secret");
  }

  @AfterAll
  void stop() throws Exception {
    closer.close();
  }

  @Test
  void forwardedForFromATrustedProxyIsTheIpEjabberdRecords() throws Exception {
    String line = loginThrough(ProxyProtocol.V2, List.of("127.0.0.1"), "trusted");
    assertThat(line.split("\t")[2]).isEqualTo(BROWSER);
  }

  @Test
  void forwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
    // Bindery's HTTP peer is the test itself on 127.0.0.1, not a configured proxy
    String line = loginThrough(ProxyProtocol.V1, List.of(), "untrusted");
    assertThat(line.split("\t")[2]).isEqualTo("127.0.0.1");
  }

  /** Over WebSocket too: the upgrade request's X-Forwarded-For, from a trusted proxy. */
  @Test
  void webSocketClientsAddressIsTheIpEjabberdRecords() throws Exception {
    DomainRoute route = DomainRoute.plainLoopback(DOMAIN,
        new Endpoint(ejabberd.host(), ejabberd.proxyC2sPort())).withProxyProtocol(
        ProxyProtocol.V2);
    try (Bindery bindery = Bindery.start(ServerConfig.builder().port(0)
        .upstream(new UpstreamPolicy(List.of(route), UpstreamLimits.DEFAULTS, List.of()))
        .trustedProxies(List.of("127.0.0.1")).build());
        WsClient ws = WsClient.connectWith(bindery.webSocketEndpoint(),
            Map.of("X-Forwarded-For", BROWSER), "xmpp")) {
      String jid = ws.login(DOMAIN, "websocket", "secret", "web");
      String info = ejabberd.connectedUsersInfo();
      String line = info.lines().filter(l -> l.startsWith(jid)).findFirst()
          .orElseThrow(() -> new AssertionError(jid + " not connected: " + info));
      assertThat(line.split("\t")[2]).isEqualTo(BROWSER);
    }
  }

  /** Logs in through Bindery claiming {@link #BROWSER}; returns ejabberd's line for the user. */
  private String loginThrough(ProxyProtocol version, List<String> trustedProxies, String user)
      throws Exception {
    DomainRoute route = DomainRoute.plainLoopback(DOMAIN,
        new Endpoint(ejabberd.host(), ejabberd.proxyC2sPort())).withProxyProtocol(version);
    try (Bindery bindery = Bindery.start(ServerConfig.builder().port(0)
        .upstream(new UpstreamPolicy(List.of(route), UpstreamLimits.DEFAULTS,
            List.of()))
        .trustedProxies(trustedProxies).build())) {
      RawBoshSession session = RawBoshSession.create(bindery.endpoint(), DOMAIN, "",
          Map.of("X-Forwarded-For", BROWSER));
      String jid = session.login(null, user, "secret", "web");
      String info = ejabberd.connectedUsersInfo();
      return info.lines().filter(l -> l.startsWith(jid)).findFirst()
          .orElseThrow(() -> new AssertionError(jid + " not connected: " + info));
    }
  }
}
