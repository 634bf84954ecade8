package dev.bindery.client;

import java.util.Objects;

/**
 * Immutable. Who logs in where, and the BOSH parameters the client asks for.
 *
 * @param domain   the XMPP domain, sent as {@code to} (XEP-0124 §7.1)
 * @param username the SASL PLAIN authentication identity (the JID's local part)
 * @param password the password; never printed by {@link #toString()}
 * @param resource the resource to ask for when binding, or null to let the server pick one
 * @param lang     {@code xml:lang} of the session
 * @param waitSeconds longest time the connection manager may hold a request ({@code wait})
 * @param hold     how many requests the connection manager may hold at once
 * @param route    the {@code route} of the session creation request ({@code xmpp:host:port},
 *                 XEP-0124 §7.1), or null for none
 */
public record BoshClientConfig(
    String domain,
    String username,
    String password,
    String resource,
    String lang,
    int waitSeconds,
    int hold,
    String route) {

  /** The {@code xml:lang} of a session unless one is given. */
  public static final String DEFAULT_LANG = "en";
  /** The {@code wait} asked for unless one is given, in seconds. */
  public static final int DEFAULT_WAIT = 60;
  /** XEP-0124 §7.1: a client that reuses connections SHOULD ask for hold 1. */
  public static final int DEFAULT_HOLD = 1;
  /** An upper bound that keeps the HTTP timeout (wait plus a margin) sane. */
  public static final int MAX_WAIT = 3600;

  /** Validates every value; the message names the one that is wrong. */
  public BoshClientConfig {
    requireNonBlank(domain, "domain");
    requireNonBlank(username, "username");
    Objects.requireNonNull(password, "password");
    requireNonBlank(lang, "lang");
    if (resource != null && resource.isBlank()) {
      throw new IllegalArgumentException("blank resource (expected: null or a non-blank name)");
    }
    if (waitSeconds < 1 || waitSeconds > MAX_WAIT) {
      throw new IllegalArgumentException(
          "invalid wait: " + waitSeconds + " (expected: 1 ~ " + MAX_WAIT + ")");
    }
    if (route != null && route.isBlank()) {
      throw new IllegalArgumentException("blank route (expected: null or xmpp:host:port)");
    }
    if (hold < 1) {
      throw new IllegalArgumentException("invalid hold: " + hold + " (expected: 1 or more)");
    }
  }

  /** A config with the defaults: server-assigned resource, {@code en}, wait 60, hold 1. */
  public static BoshClientConfig of(String domain, String username, String password) {
    return new BoshClientConfig(domain, username, password, null, DEFAULT_LANG, DEFAULT_WAIT,
        DEFAULT_HOLD, null);
  }

  /** This config asking for {@code resource} when binding (null: the server picks one). */
  public BoshClientConfig withResource(String resource) {
    return new BoshClientConfig(domain, username, password, resource, lang, waitSeconds, hold,
        route);
  }

  /** This config asking for {@code wait} of {@code waitSeconds}. */
  public BoshClientConfig withWaitSeconds(int waitSeconds) {
    return new BoshClientConfig(domain, username, password, resource, lang, waitSeconds, hold,
        route);
  }

  /** This config sending {@code route} ({@code xmpp:host:port}, or null for none). */
  public BoshClientConfig withRoute(String route) {
    return new BoshClientConfig(domain, username, password, resource, lang, waitSeconds, hold,
        route);
  }

  /** The bare JID this config logs in as, e.g. {@code admin@localhost}. */
  public String bareJid() {
    return username + "@" + domain;
  }

  @Override
  public String toString() {
    return "BoshClientConfig[" + bareJid() + ", resource=" + resource + ", lang=" + lang
        + ", wait=" + waitSeconds + ", hold=" + hold
        + (route == null ? "" : ", route=" + route) + "]";
  }

  private static void requireNonBlank(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException("blank " + name);
    }
  }
}
