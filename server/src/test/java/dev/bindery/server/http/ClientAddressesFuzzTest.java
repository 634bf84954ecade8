package dev.bindery.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.util.NetUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of {@link ClientAddresses} with any {@code Forwarded}, {@code
 * X-Forwarded-For} and {@code X-Forwarded-Proto} values, peers and trusted-proxy settings.
 * Properties: a setting is accepted or refused with {@link IllegalArgumentException}; an answer
 * is always given, never an exception; an untrusted peer is its own answer, whatever the headers
 * say; a trusted peer's answer is the peer or an IP address in canonical form; an untrusted
 * peer is never secure by a header.
 */
class ClientAddressesFuzzTest {

  private static final List<String> PROXIES = List.of("10.0.0.0/8", "192.0.2.1", "::1",
      "2001:db8::/32", "0.0.0.0/0", "fe80::/10", "127.0.0.1/32");
  private static final String PROBE = "203.0.113.200";

  @FuzzTest
  void answersThePeerOrAForwardedAddress(FuzzedDataProvider data) {
    List<String> trusted = new ArrayList<>();
    for (int i = data.consumeInt(0, 3); i > 0; i--) {
      trusted.add(data.pickValue(PROXIES));
    }
    try {
      new ClientAddresses(List.of(data.consumeString(24)));
    } catch (IllegalArgumentException e) {
      assertThat(e).hasMessageStartingWith("invalid trusted proxy: ");
    }
    ClientAddresses addresses = new ClientAddresses(trusted);
    String peer = data.consumeBoolean() ? data.pickValue(List.of("10.1.2.3", "192.0.2.1", "::1",
        "203.0.113.9", "2001:db8::1")) : data.consumeString(40);
    List<String> forwarded = values(data);
    List<String> xForwardedFor = values(data);
    List<String> proto = values(data);

    String client = addresses.of(peer, forwarded, xForwardedFor);
    boolean secure = addresses.secure(peer, forwarded, proto);

    // a trusted peer is the one whose X-Forwarded-For is believed
    boolean peerTrusted = !peer.equals(PROBE)
        && !addresses.of(peer, List.of(), List.of(PROBE)).equals(peer);
    if (!peerTrusted) {
      assertThat(client).isEqualTo(peer);
      assertThat(secure).isFalse();
      return;
    }
    if (!client.equals(peer)) {
      byte[] ip = NetUtil.createByteArrayFromIpAddressString(client);
      assertThat(ip).as("an IP address: %s", client).isNotNull();
      assertThat(NetUtil.bytesToIpAddress(ip)).isEqualTo(client);
    }
  }

  private static List<String> values(FuzzedDataProvider data) {
    List<String> values = new ArrayList<>();
    for (int i = data.consumeInt(0, 2); i > 0; i--) {
      values.add(data.consumeString(120));
    }
    return values;
  }
}
