package dev.bindery.server.upstream;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Stateless. Addresses an XMPP server found through DNS or a client's {@code route} must not have
 * unless a domain allows them: anything that reaches the operator's own network rather than the
 * internet.
 */
final class PrivateAddresses {

  private PrivateAddresses() {}

  /**
   * True for loopback, unspecified, link-local, site-local (RFC 1918), carrier-grade NAT
   * ({@code 100.64.0.0/10}), IPv6 unique-local ({@code fc00::/7}) and multicast addresses, and for
   * IPv4-mapped IPv6 addresses of those.
   */
  static boolean isPrivate(InetAddress address) {
    if (address.isLoopbackAddress() || address.isAnyLocalAddress()
        || address.isLinkLocalAddress() || address.isSiteLocalAddress()
        || address.isMulticastAddress()) {
      return true;
    }
    byte[] b = address.getAddress();
    if (b.length == 4) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first == 0 || (first == 100 && second >= 64 && second < 128);
    }
    if (address instanceof Inet6Address && (b[0] & 0xfe) == 0xfc) {
      return true;
    }
    return false;
  }
}
