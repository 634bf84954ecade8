package dev.bindery.server.upstream;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Immutable. One XMPP domain Bindery serves and how to reach its server.
 *
 * <p>The safe defaults ({@link #srv}) find the server by DNS SRV, require TLS verified against
 * the system trust store with the domain as the expected name, refuse private addresses and
 * ignore the client's {@code route}. {@link #plainLoopback} is the explicit opposite for a server
 * on the same host or a trusted network: a fixed address, plain TCP.
 *
 * @param domain                the XMPP domain, lower case, e.g. {@code example.com}
 * @param fixed                 the server's client port, or null to look it up by SRV
 * @param tls                   how the connection is encrypted
 * @param trustStore            PEM file of CA certificates to trust, or null for the JDK's
 * @param proxyProtocol         whether to send the client's address in a PROXY header
 * @param allowPrivateAddresses whether the server may be at a loopback, private, link-local or
 *                              unique-local address
 * @param allowedRoutes         {@code route} targets a client may name ({@code xmpp:host:port},
 *                              XEP-0124 §7.1); empty: {@code route} is refused
 */
public record DomainRoute(
    String domain,
    Endpoint fixed,
    TlsMode tls,
    Path trustStore,
    ProxyProtocol proxyProtocol,
    boolean allowPrivateAddresses,
    List<Endpoint> allowedRoutes) {

  /** The port tried when a domain has no SRV records (RFC 6120 §3.2.2). */
  public static final int DEFAULT_CLIENT_PORT = 5222;

  public DomainRoute {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(proxyProtocol, "proxyProtocol");
    domain = domain.toLowerCase(Locale.ROOT);
    if (!DomainNames.valid(domain)) {
      throw new IllegalArgumentException("invalid domain: " + domain);
    }
    allowedRoutes = List.copyOf(allowedRoutes);
  }

  /** Secure defaults: SRV, TLS required and verified, public addresses only, no route. */
  public static DomainRoute srv(String domain) {
    return new DomainRoute(domain, null, TlsMode.REQUIRED, null, ProxyProtocol.NONE, false,
        List.of());
  }

  /** A fixed address with the secure defaults otherwise: TLS required and verified. */
  public static DomainRoute fixed(String domain, Endpoint server) {
    return new DomainRoute(domain, Objects.requireNonNull(server, "server"), TlsMode.REQUIRED,
        null, ProxyProtocol.NONE, false, List.of());
  }

  /**
   * A server on loopback or a trusted network: fixed address, plain TCP, private addresses
   * allowed. What {@code --upstream host:port} configures.
   */
  public static DomainRoute plainLoopback(String domain, Endpoint server) {
    return new DomainRoute(domain, Objects.requireNonNull(server, "server"), TlsMode.NONE, null,
        ProxyProtocol.NONE, true, List.of());
  }

  /** True when the server is found by DNS SRV rather than at a fixed address. */
  public boolean usesSrv() {
    return fixed == null;
  }

  /** True when a client's {@code route} to {@code target} is on the allowlist. */
  public boolean allowsRoute(Endpoint target) {
    return allowedRoutes.contains(target);
  }

  public DomainRoute withFixed(Endpoint fixed) {
    return new DomainRoute(domain, fixed, tls, trustStore, proxyProtocol, allowPrivateAddresses,
        allowedRoutes);
  }

  public DomainRoute withTls(TlsMode tls) {
    return new DomainRoute(domain, fixed, tls, trustStore, proxyProtocol, allowPrivateAddresses,
        allowedRoutes);
  }

  public DomainRoute withTrustStore(Path trustStore) {
    return new DomainRoute(domain, fixed, tls, trustStore, proxyProtocol, allowPrivateAddresses,
        allowedRoutes);
  }

  public DomainRoute withProxyProtocol(ProxyProtocol proxyProtocol) {
    return new DomainRoute(domain, fixed, tls, trustStore, proxyProtocol, allowPrivateAddresses,
        allowedRoutes);
  }

  public DomainRoute withAllowPrivateAddresses(boolean allow) {
    return new DomainRoute(domain, fixed, tls, trustStore, proxyProtocol, allow, allowedRoutes);
  }

  public DomainRoute withAllowedRoutes(List<Endpoint> routes) {
    return new DomainRoute(domain, fixed, tls, trustStore, proxyProtocol, allowPrivateAddresses,
        routes);
  }
}
