package dev.bindery.server.config;

import dev.bindery.server.upstream.DomainRoute;
import java.util.List;

/**
 * Immutable. The value of the {@code domains} key: the plain names, relayed to {@code
 * upstream.address} over plain TCP, and the mapping entries, each with its own route.
 *
 * @param relayed the plain names, lower case, in configuration order
 * @param routes  the mapping entries, in configuration order
 */
public record ServedDomains(List<String> relayed, List<DomainRoute> routes) {

  public ServedDomains {
    relayed = List.copyOf(relayed);
    routes = List.copyOf(routes);
  }
}
