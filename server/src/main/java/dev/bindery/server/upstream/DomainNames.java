package dev.bindery.server.upstream;

import java.util.regex.Pattern;

/** Stateless. What a {@code to} may name: a DNS domain or an IP literal, nothing else. */
final class DomainNames {

  /** RFC 1035 §2.3.4 (253 characters in text form), RFC 7622 §3.2 for the domainpart. */
  static final int MAX_LENGTH = 253;

  private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");

  private DomainNames() {}

  /**
   * True for a lower-case domain such as {@code example.com} or {@code localhost}: dot-separated
   * labels of letters, digits, {@code _} and {@code -}. Anything with {@code @}, {@code /},
   * {@code :}, spaces or empty labels is a JID or an address, not a domain.
   */
  static boolean valid(String domain) {
    if (domain.isEmpty() || domain.length() > MAX_LENGTH) {
      return false;
    }
    String name = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
    if (name.isEmpty()) {
      return false;
    }
    for (String label : name.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }
}
