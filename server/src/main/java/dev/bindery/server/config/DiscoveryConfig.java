package dev.bindery.server.config;

import java.net.URI;

/**
 * Immutable. The endpoints {@code /.well-known/host-meta} names (XEP-0156), as clients reach them
 * through the proxies in front of Bindery.
 *
 * @param boshUrl      the public BOSH URL, or null for the scheme and host of each request
 * @param webSocketUrl the public WebSocket URL, or null for the scheme and host of each request
 */
public record DiscoveryConfig(URI boshUrl, URI webSocketUrl) {

  public static final DiscoveryConfig DEFAULTS = new DiscoveryConfig(null, null);
}
