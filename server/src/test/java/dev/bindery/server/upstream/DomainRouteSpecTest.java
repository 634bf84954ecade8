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
}
