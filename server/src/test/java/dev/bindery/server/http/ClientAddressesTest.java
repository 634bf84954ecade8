package dev.bindery.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressesTest {

  private final ClientAddresses behindProxy =
      new ClientAddresses(List.of("127.0.0.1", "10.0.0.0/8", "fd00::/8"));

  @Test
  void withoutTrustedProxiesTheHeadersAreIgnored() {
    ClientAddresses none = new ClientAddresses(List.of());
    assertThat(none.of("127.0.0.1", List.of(), List.of("203.0.113.7"))).isEqualTo("127.0.0.1");
  }

  @Test
  void untrustedPeerCannotChooseItsAddress() {
    assertThat(behindProxy.of("198.51.100.9", List.of("for=203.0.113.7"),
        List.of("203.0.113.7"))).isEqualTo("198.51.100.9");
  }

  @Test
  void trustedPeerNamesTheClient() {
    assertThat(behindProxy.of("127.0.0.1", List.of(), List.of("203.0.113.7")))
        .isEqualTo("203.0.113.7");
  }

  @Test
  void theRightmostUntrustedHopIsTheClient() {
    // the client forged the first entry; the proxies appended the rest
    assertThat(behindProxy.of("10.0.0.2", List.of(),
        List.of("1.2.3.4, 203.0.113.7", "10.0.0.1"))).isEqualTo("203.0.113.7");
  }

  @Test
  void forwardedWinsAndItsSyntaxIsRead() {
    assertThat(behindProxy.of("127.0.0.1",
        List.of("for=192.0.2.43;proto=https, for=\"[2001:db8:cafe::17]:4711\""),
        List.of("203.0.113.7"))).isEqualTo("2001:db8:cafe::17");
    assertThat(behindProxy.of("127.0.0.1", List.of("for=\"192.0.2.43:1234\";by=10.0.0.1"),
        List.of())).isEqualTo("192.0.2.43");
  }

  @Test
  void unreadableHopStopsAtTheNearestTrustedProxy() {
    assertThat(behindProxy.of("127.0.0.1", List.of(), List.of("203.0.113.7, unknown, 10.0.0.3")))
        .isEqualTo("10.0.0.3");
    assertThat(behindProxy.of("127.0.0.1", List.of(), List.of())).isEqualTo("127.0.0.1");
  }

  @Test
  void invalidProxyIsAConfigurationError() {
    assertThatThrownBy(() -> new ClientAddresses(List.of("proxy.local")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("proxy.local");
    assertThatThrownBy(() -> new ClientAddresses(List.of("10.0.0.0/33")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
