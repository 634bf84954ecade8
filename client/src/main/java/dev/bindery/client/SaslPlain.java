package dev.bindery.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Thread-safe: stateless. The SASL PLAIN mechanism (RFC 4616) as XMPP carries it (RFC 6120
 * §6.4.2): the initial response {@code [authzid] NUL authcid NUL passwd}, UTF-8 encoded, then
 * base64.
 */
final class SaslPlain {

  static final String MECHANISM = "PLAIN";

  private SaslPlain() {}

  /**
   * The base64 initial response for {@code authcid} with no authorization identity, so the server
   * derives it from the authentication identity.
   *
   * @throws IllegalArgumentException if either value contains NUL, which PLAIN cannot carry
   */
  static String initialResponse(String authcid, String password) {
    if (authcid.isEmpty() || authcid.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("invalid authcid: must be non-empty and contain no NUL");
    }
    if (password.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("invalid password: must contain no NUL");
    }
    byte[] message = ("\0" + authcid + "\0" + password).getBytes(StandardCharsets.UTF_8);
    return Base64.getEncoder().encodeToString(message);
  }
}
