package dev.bindery.server.session;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Thread-safe. Session ids: 160 random bits from {@link SecureRandom}, URL-safe Base64, so they
 * are unpredictable and, in practice, unique (XEP-0124 §7.2, §19.3).
 */
final class SidGenerator {

  private static final int BYTES = 20;

  private final SecureRandom random = new SecureRandom();

  String next() {
    byte[] bytes = new byte[BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
