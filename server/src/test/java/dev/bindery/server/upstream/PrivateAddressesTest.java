package dev.bindery.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrivateAddressesTest {

  @Test
  void operatorNetworksArePrivate() throws UnknownHostException {
    for (String a : List.of("127.0.0.1", "127.5.5.5", "10.1.2.3", "172.16.0.1", "172.31.255.255",
        "192.168.1.1", "169.254.169.254", "100.64.0.1", "100.127.255.255", "0.0.0.0", "::1",
        "::", "fe80::1", "fc00::1", "fd12:3456::1", "::ffff:10.0.0.1", "224.0.0.1")) {
      assertThat(PrivateAddresses.isPrivate(InetAddress.getByName(a))).as(a).isTrue();
    }
  }

  @Test
  void internetAddressesAreNot() throws UnknownHostException {
    for (String a : List.of("8.8.8.8", "172.32.0.1", "100.128.0.1", "192.0.2.1",
        "2001:db8::1", "2a00:1450::1")) {
      assertThat(PrivateAddresses.isPrivate(InetAddress.getByName(a))).as(a).isFalse();
    }
  }
}
