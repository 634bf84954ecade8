package dev.bindery.protocol.session;

import java.util.Optional;

/**
 * Immutable. A BOSH protocol version, {@code major.minor}, whose minor number is an integer of its
 * own: 1.10 is newer than 1.6 (XEP-0124 §7.1).
 */
public record BoshVersion(int major, int minor) implements Comparable<BoshVersion> {

  /** The version this connection manager implements. */
  public static final BoshVersion CURRENT = new BoshVersion(1, 11);

  /** Parses {@code major.minor}; empty when the text is not of that form. */
  public static Optional<BoshVersion> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    int dot = text.indexOf('.');
    if (dot < 1 || dot == text.length() - 1 || dot > 9 || text.length() - dot > 10) {
      return Optional.empty();
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      // Integer.parseUnsignedInt would also take a '+' sign and non-ASCII digits
      if (i != dot && (c < '0' || c > '9')) {
        return Optional.empty();
      }
    }
    try {
      int major = Integer.parseUnsignedInt(text, 0, dot, 10);
      int minor = Integer.parseUnsignedInt(text, dot + 1, text.length(), 10);
      return Optional.of(new BoshVersion(major, minor));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The older of this and {@code other}. */
  public BoshVersion min(BoshVersion other) {
    return compareTo(other) <= 0 ? this : other;
  }

  @Override
  public int compareTo(BoshVersion o) {
    return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
