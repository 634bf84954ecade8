package dev.bindery.server.upstream;

import dev.bindery.protocol.body.BindingCondition;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable. Which XMPP domains Bindery serves, how to reach each one's server, and the bounds on
 * those connections. A session to anything else is refused before any connection is made: Bindery
 * is not an open relay.
 *
 * @param domains     the served domains, in configuration order
 * @param limits      timeouts and size bounds
 * @param nameServers DNS servers for SRV and address lookups; empty: the system's
 *                    ({@code /etc/resolv.conf})
 */
public record UpstreamPolicy(
    List<DomainRoute> domains,
    UpstreamLimits limits,
    List<InetSocketAddress> nameServers) {

  /** The {@code route} scheme XEP-0206 §3 names; {@code route} is not parsed as a URI. */
  static final String ROUTE_PREFIX = "xmpp:";

  public UpstreamPolicy {
    Objects.requireNonNull(limits, "limits");
    domains = List.copyOf(domains);
    nameServers = List.copyOf(nameServers);
    if (domains.isEmpty()) {
      throw new IllegalArgumentException("no domain configured");
    }
    Map<String, DomainRoute> seen = new LinkedHashMap<>();
    for (DomainRoute d : domains) {
      if (seen.put(d.domain(), d) != null) {
        throw new IllegalArgumentException("domain configured twice: " + d.domain());
      }
    }
  }

  /** Every domain served the way {@code --upstream host:port} does: one loopback server, plain. */
  public static UpstreamPolicy plainLoopback(Endpoint server, List<String> domains) {
    return new UpstreamPolicy(
        domains.stream().map(d -> DomainRoute.plainLoopback(d, server)).toList(),
        UpstreamLimits.DEFAULTS, List.of());
  }

  /** The route for {@code domain}, or null when it is not served. */
  public DomainRoute find(String domain) {
    String lower = domain.toLowerCase(Locale.ROOT);
    for (DomainRoute d : domains) {
      if (d.domain().equals(lower)) {
        return d;
      }
    }
    return null;
  }

  /** The served domain names, lower case. */
  public List<String> domainNames() {
    return domains.stream().map(DomainRoute::domain).toList();
  }

  /**
   * Decides where a new stream to {@code to}, with the client's optional {@code route}, may go.
   * Nothing is resolved or dialed here.
   */
  public Decision decide(String to, String route) {
    String domain = to.trim().toLowerCase(Locale.ROOT);
    if (!DomainNames.valid(domain)) {
      return new Decision.Refused(BindingCondition.IMPROPER_ADDRESSING,
          "'to' is not a domain: " + to);
    }
    DomainRoute served = find(domain);
    if (served == null) {
      return new Decision.Refused(BindingCondition.HOST_UNKNOWN, "domain not served: " + domain);
    }
    if (route == null) {
      return new Decision.Allowed(served, null);
    }
    Endpoint target = parseRoute(route);
    if (target == null) {
      return new Decision.Refused(BindingCondition.HOST_UNKNOWN,
          "route is not xmpp:host:port: " + route);
    }
    if (!served.allowsRoute(target)) {
      return new Decision.Refused(BindingCondition.HOST_UNKNOWN,
          "route not allowed for " + domain + ": " + route);
    }
    return new Decision.Allowed(served, target);
  }

  /** Reads {@code xmpp:host:port} ({@code xmpp:[v6]:port}), or returns null. */
  static Endpoint parseRoute(String route) {
    String value = route.trim();
    if (!value.regionMatches(true, 0, ROUTE_PREFIX, 0, ROUTE_PREFIX.length())) {
      return null;
    }
    try {
      return Endpoint.parse(value.substring(ROUTE_PREFIX.length()));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  public UpstreamPolicy withLimits(UpstreamLimits limits) {
    return new UpstreamPolicy(domains, limits, nameServers);
  }

  public UpstreamPolicy withDomains(List<DomainRoute> domains) {
    return new UpstreamPolicy(domains, limits, nameServers);
  }

  /** Immutable. Where a stream may go, or why not. */
  public sealed interface Decision {

    /**
     * The stream may be opened.
     *
     * @param domain the served domain's configuration
     * @param route  the allowed {@code route} target, or null for the domain's own server
     */
    record Allowed(DomainRoute domain, Endpoint route) implements Decision {}

    /** The stream is refused with {@code condition}; {@code reason} is for the log. */
    record Refused(BindingCondition condition, String reason) implements Decision {}
  }
}
