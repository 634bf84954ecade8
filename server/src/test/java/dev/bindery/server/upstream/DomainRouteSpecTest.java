package dev.bindery.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DomainRouteSpecTest {

  @Test
  void aBareDomainGetsTheSafeDefaults() {
    assertThat(DomainRouteSpec.parse("Example.com")).isEqualTo(DomainRoute.srv("example.com"));
  }

  @Test
  void everyOptionIsRead() {
    assertThat(DomainRouteSpec.parse("example.org, address=xmpp.example.org:5223, tls=direct,"
        + " trust-store=/etc/bindery/ca.pem, proxy-protocol=v2, allow-private-addresses=true,"
        + " route=a.example.org:5222, route=[2001:db8::1]:5222"))
        .isEqualTo(new DomainRoute("example.org", new Endpoint("xmpp.example.org", 5223),
            TlsMode.DIRECT, Path.of("/etc/bindery/ca.pem"), ProxyProtocol.V2, true,
            List.of(new Endpoint("a.example.org", 5222), new Endpoint("2001:db8::1", 5222))));
  }

  @Test
  void badOptionsAreNamed() {
    assertThatThrownBy(() -> DomainRouteSpec.parse("example.org,tls=maybe"))
        .hasMessageContaining("invalid tls: maybe");
    assertThatThrownBy(() -> DomainRouteSpec.parse("example.org,verify=false"))
        .hasMessageContaining("unknown option: verify");
    assertThatThrownBy(() -> DomainRouteSpec.parse("example.org,address=xmpp"))
        .hasMessageContaining("invalid address: xmpp");
    assertThatThrownBy(() -> DomainRouteSpec.parse("user@example.org"))
        .hasMessageContaining("invalid domain");
  }

  @Test
  void aRouteIsWrittenAsTheLineThatReadsItBack() {
    DomainRoute route = new DomainRoute("example.org", new Endpoint("2001:db8::2", 5223),
        TlsMode.OPTIONAL, Path.of("/etc/bindery/ca.pem"), ProxyProtocol.V1, true,
        List.of(new Endpoint("a.example.org", 5222)));

    assertThat(DomainRouteSpec.parse(DomainRouteSpec.format(route))).isEqualTo(route);
    assertThat(DomainRouteSpec.parse(DomainRouteSpec.format(DomainRoute.srv("example.org"))))
        .isEqualTo(DomainRoute.srv("example.org"));
  }

  @Test
  void optionsAreSetOneAtATimeAndRouteAddsUp() {
    DomainRoute route = new DomainRouteSpec.Options("example.org").set("TLS", "none")
        .set("route", "a.example.org:5222").set("route", "b.example.org:5222").build();

    assertThat(route.tls()).isEqualTo(TlsMode.NONE);
    assertThat(route.allowedRoutes()).hasSize(2);
  }
}
