package dev.bindery.server.http;

import io.netty.util.NetUtil;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Immutable. Finds the HTTP client's IP address: the connection's peer, or, when the peer is a
 * trusted reverse proxy, the address the proxies recorded in {@code Forwarded} (RFC 7239) or
 * else {@code X-Forwarded-For}. The list is read from the right, skipping trusted proxies, so a
 * client cannot choose its own address by sending the header itself.
 */
public final class ClientAddresses {

  private final List<Cidr> trusted;

  /** @param trustedProxies IP addresses or CIDR blocks ({@code 10.0.0.0/8}, {@code ::1}) */
  public ClientAddresses(List<String> trustedProxies) {
    List<Cidr> parsed = new ArrayList<>();
    for (String p : trustedProxies) {
      parsed.add(Cidr.parse(p));
    }
    this.trusted = List.copyOf(parsed);
  }

  /** The client's address for {@code request}. */
  public String of(HttpServletRequest request) {
    return of(request.getRemoteAddr(), Collections.list(request.getHeaders("Forwarded")),
        Collections.list(request.getHeaders("X-Forwarded-For")));
  }

  /**
   * True when the client reached Bindery over HTTPS: the connection itself is TLS, or the peer is
   * a trusted proxy that says it terminated TLS ({@code Forwarded: proto=https}, else {@code
   * X-Forwarded-Proto: https}, as set by the proxy nearest to Bindery). XEP-0124 §19 keeps a
   * session created over HTTPS on HTTPS.
   */
  public boolean secure(HttpServletRequest request) {
    return request.isSecure() || secure(request.getRemoteAddr(),
        Collections.list(request.getHeaders("Forwarded")),
        Collections.list(request.getHeaders("X-Forwarded-Proto")));
  }

  /**
   * True when a trusted proxy at {@code peer} says it terminated TLS, by its {@code Forwarded}
   * and {@code X-Forwarded-Proto} values; for transports other than the servlet.
   */
  public boolean secure(String peer, List<String> forwarded, List<String> xForwardedProto) {
    if (!isTrusted(peer)) {
      return false;
    }
    String proto = lastForwardedProto(forwarded);
    if (proto == null) {
      List<String> values = split(xForwardedProto);
      proto = values.isEmpty() ? null : values.get(values.size() - 1);
    }
    return "https".equalsIgnoreCase(proto);
  }

  /** The {@code proto=} of the last element of {@code Forwarded}, or null. */
  private static String lastForwardedProto(List<String> values) {
    String proto = null;
    for (String v : values) {
      for (String element : v.split(",")) {
        String found = null;
        for (String pair : element.split(";")) {
          int eq = pair.indexOf('=');
          if (eq > 0 && pair.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("proto")) {
            found = unquote(pair.substring(eq + 1).trim());
          }
        }
        proto = found;
      }
    }
    return proto;
  }

  /**
   * The client's address given the peer and the header values (each possibly a list).
   * {@code Forwarded} wins over {@code X-Forwarded-For} when both are present.
   */
  /**
   * The client's address from the connection's peer and the request's {@code Forwarded} and
   * {@code X-Forwarded-For} values, for transports other than the servlet.
   */
  public String of(String peer, List<String> forwarded, List<String> xForwardedFor) {
    if (!isTrusted(peer)) {
      return peer;
    }
    List<String> hops = !forwarded.isEmpty() ? forwardedFor(forwarded) : split(xForwardedFor);
    String nearest = peer;
    for (int i = hops.size() - 1; i >= 0; i--) {
      String hop = hops.get(i);
      byte[] ip = NetUtil.createByteArrayFromIpAddressString(hop);
      if (ip == null) {
        return nearest; // "unknown", an obfuscated name, garbage: the last proxy we trust
      }
      String address = NetUtil.bytesToIpAddress(ip);
      if (!matches(ip)) {
        return address;
      }
      nearest = address;
    }
    return nearest;
  }

  private boolean isTrusted(String peer) {
    byte[] ip = peer == null ? null : NetUtil.createByteArrayFromIpAddressString(peer);
    return ip != null && matches(ip);
  }

  private boolean matches(byte[] ip) {
    for (Cidr c : trusted) {
      if (c.contains(ip)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> split(List<String> values) {
    List<String> hops = new ArrayList<>();
    for (String v : values) {
      for (String part : v.split(",")) {
        hops.add(stripPort(part.trim()));
      }
    }
    return hops;
  }

  /** The {@code for=} of each element of {@code Forwarded: for=a;proto=https, for="[b]:1"}. */
  private static List<String> forwardedFor(List<String> values) {
    List<String> hops = new ArrayList<>();
    for (String v : values) {
      for (String element : v.split(",")) {
        String found = "";
        for (String pair : element.split(";")) {
          int eq = pair.indexOf('=');
          if (eq > 0 && pair.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("for")) {
            found = stripPort(unquote(pair.substring(eq + 1).trim()));
          }
        }
        hops.add(found);
      }
    }
    return hops;
  }

  private static String unquote(String s) {
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")
        ? s.substring(1, s.length() - 1) : s;
  }

  /** {@code [v6]:port} → v6, {@code v4:port} → v4; a bare v6 stays. */
  private static String stripPort(String s) {
    if (s.startsWith("[")) {
      int end = s.indexOf(']');
      return end > 0 ? s.substring(1, end) : s;
    }
    int colon = s.indexOf(':');
    return colon > 0 && colon == s.lastIndexOf(':') ? s.substring(0, colon) : s;
  }

  /** Immutable. An address block. */
  private record Cidr(byte[] network, int bits) {

    static Cidr parse(String value) {
      String v = value.trim();
      int slash = v.indexOf('/');
      String address = slash < 0 ? v : v.substring(0, slash);
      byte[] ip = NetUtil.createByteArrayFromIpAddressString(address);
      if (ip == null) {
        throw new IllegalArgumentException("invalid trusted proxy: " + value
            + " (expected: an IP address or CIDR block such as 10.0.0.0/8)");
      }
      int bits = ip.length * 8;
      if (slash >= 0) {
        try {
          bits = Integer.parseInt(v.substring(slash + 1));
        } catch (NumberFormatException e) {
          bits = -1;
        }
        if (bits < 0 || bits > ip.length * 8) {
          throw new IllegalArgumentException("invalid trusted proxy: " + value
              + " (expected prefix length: 0 ~ " + ip.length * 8 + ")");
        }
      }
      return new Cidr(ip, bits);
    }

    boolean contains(byte[] ip) {
      if (ip.length != network.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (ip[i] != network[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (ip[full] & mask) == (network[full] & mask);
    }
  }
}
