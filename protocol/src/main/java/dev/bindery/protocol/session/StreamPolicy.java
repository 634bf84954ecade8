package dev.bindery.protocol.session;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Thread-safe. What a session may do with the streams it opens (XEP-0124 §16): which domains a
 * client may add a stream to, and where new stream names come from.
 */
public interface StreamPolicy {

  /** True when a stream to {@code domain} may be opened. */
  boolean serves(String domain);

  /** A new stream name: opaque, unpredictable and unique within the connection manager. */
  String newStreamName();

  /** A policy serving {@code domains}, with 128-bit random stream names. */
  static StreamPolicy serving(Set<String> domains) {
    Set<String> lower = domains.stream()
        .map(d -> d.toLowerCase(Locale.ROOT))
        .collect(Collectors.toUnmodifiableSet());
    SecureRandom random = new SecureRandom();
    return new StreamPolicy() {
      @Override
      public boolean serves(String domain) {
        return lower.contains(domain.toLowerCase(Locale.ROOT));
      }

      @Override
      public String newStreamName() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      }
    };
  }
}
