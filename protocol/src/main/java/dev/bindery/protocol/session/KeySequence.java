package dev.bindery.protocol.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Confined to its session. The key sequencing of XEP-0124 §15: each request reveals the preimage
 * of the previous request's key, proving it comes from the client that began the sequence.
 */
final class KeySequence {

  /** The latest {@code newkey} or {@code key}; null when the client does not use keys. */
  private String expected;

  KeySequence(String newkey) {
    this.expected = newkey;
  }

  /**
   * Checks a request's keys, in rid order, and advances the sequence. False means the request
   * MUST NOT be processed (§15.4).
   */
  boolean accept(String key, String newkey) {
    if (expected == null) {
      // no sequence to check against; a newkey begins one
      expected = newkey;
      return true;
    }
    if (key == null || !sha1Hex(key).equalsIgnoreCase(expected)) {
      return false;
    }
    // §15.5: newkey with key switches to a new sequence; key alone continues this one
    expected = newkey != null ? newkey : key;
    return true;
  }

  static String sha1Hex(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1")
          .digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every Java platform", e);
    }
  }
}
