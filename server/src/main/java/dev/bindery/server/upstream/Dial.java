package dev.bindery.server.upstream;

import java.util.Objects;

/**
 * Immutable. Where one session stream goes: an allowed domain, the allowed {@code route} target
 * if the client named one, and the client's address for the PROXY header.
 *
 * @param domain        the served domain's configuration
 * @param route         the client's allowed {@code route}, or null for the domain's own server
 * @param clientAddress the HTTP client's IP address, or null
 */
public record Dial(DomainRoute domain, Endpoint route, String clientAddress) {

  public Dial {
    Objects.requireNonNull(domain, "domain");
  }
}
