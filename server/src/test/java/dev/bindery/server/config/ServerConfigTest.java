package dev.bindery.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bindery.server.upstream.DomainRoute;
import dev.bindery.server.upstream.Endpoint;
import dev.bindery.server.upstream.TlsMode;
import dev.bindery.server.upstream.UpstreamLimits;
import dev.bindery.server.upstream.UpstreamPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

  @Test
  void theDefaultsRelayLocalhostToALoopbackServerOverPlainTcp() {
    ServerConfig c = ServerConfig.defaults();

    assertThat(c.http()).isEqualTo(HttpConfig.DEFAULTS);
    assertThat(c.domains()).containsExactly("localhost");
    assertThat(c.upstream().find("localhost"))
        .isEqualTo(DomainRoute.plainLoopback("localhost", new Endpoint("127.0.0.1", 5222)));
    assertThat(c.admin().port()).isZero();
    assertThat(ServerConfig.builder().build()).isEqualTo(c);
  }

  @Test
  void theShorthandRelaysTheDomainsToOneServer() {
    ServerConfig c = ServerConfig.builder().port(0).upstream("::1", 5223)
        .domains(List.of("a.example", "b.example")).build();

    assertThat(c.http().port()).isZero();
    assertThat(c.upstream()).isEqualTo(UpstreamPolicy.plainLoopback(new Endpoint("::1", 5223),
        List.of("a.example", "b.example")));
  }

  @Test
  void aPolicyAndTheShorthandReplaceEachOther() {
    UpstreamPolicy policy = new UpstreamPolicy(List.of(DomainRoute.srv("example.com")),
        UpstreamLimits.DEFAULTS, List.of());

    ServerConfig withPolicy = ServerConfig.builder().upstream("127.0.0.1", 5222)
        .upstream(policy).build();
    assertThat(withPolicy.upstream()).isEqualTo(policy);
    assertThat(withPolicy.toBuilder().upstream("127.0.0.1", 5333).build()
        .upstream().find("example.com").tls()).isEqualTo(TlsMode.NONE);
  }

  @Test
  void toBuilderChangesACopy() {
    ServerConfig c = ServerConfig.builder().nodeName("n1").bind("::").build();
    ServerConfig other = c.toBuilder().port(1234).build();

    assertThat(other.http().port()).isEqualTo(1234);
    assertThat(other.http().bind()).isEqualTo("::");
    assertThat(other.nodeName()).isEqualTo("n1");
    assertThat(c.toBuilder().build()).isEqualTo(c);
    assertThat(c.http().port()).isEqualTo(HttpConfig.DEFAULT_PORT);
  }

  @Test
  void invalidValuesFailWhenBuilt() {
    assertThatThrownBy(() -> ServerConfig.builder().nodeName("a.b").build())
        .hasMessageStartingWith("invalid node name: a.b");
    assertThatThrownBy(() -> ServerConfig.builder().port(70000))
        .hasMessage("invalid port: 70000 (expected: 0 ~ 65535)");
  }
}
