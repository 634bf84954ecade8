package dev.bindery.server.session;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Thread-safe. Session ids: 160 random bits from {@link SecureRandom}, URL-safe Base64, so they
 * are unpredictable and, in practice, unique (XEP-0124 §7.2, §19.3). A named node puts its name
 * and a dot first ({@code b1.q3J…}): a load balancer reads the node from the sid that every
 * request of the session carries, and the dot is never part of the random part.
 */
final class SidGenerator {

  private static final int BYTES = 20;
  static final char SEPARATOR = '.';

  private final SecureRandom random = new SecureRandom();
  private final String prefix;

  /** @param node this node's name, or empty for plain sids */
  SidGenerator(String node) {
    this.prefix = node.isEmpty() ? "" : node + SEPARATOR;
  }

  String next() {
    byte[] bytes = new byte[BYTES];
    random.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Whether {@code sid} names a node other than this one: a request the load balancer sent to
   * the wrong node (or a session of a node that is gone).
   */
  boolean foreign(String sid) {
    int dot = sid.indexOf(SEPARATOR);
    return dot > 0 && !sid.regionMatches(0, prefix, 0, prefix.length());
  }
}
