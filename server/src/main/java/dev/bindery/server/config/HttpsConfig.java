package dev.bindery.server.config;

import java.nio.file.Path;

/**
 * Immutable. Bindery's own HTTPS listener (XEP-0124 §19: client traffic SHOULD be encrypted),
 * beside the plain one, for deployments without a TLS-terminating proxy in front.
 *
 * @param port        HTTPS port; 0 picks a free one
 * @param certificate PEM file with the server certificate, then its chain; null: no listener
 * @param key         PEM file with the certificate's private key (PKCS #8, unencrypted)
 */
public record HttpsConfig(int port, Path certificate, Path key) {

  public static final int DEFAULT_PORT = 5281;
  public static final HttpsConfig DISABLED = new HttpsConfig(DEFAULT_PORT, null, null);

  public HttpsConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("invalid port: " + port + " (expected: 0 ~ 65535)");
    }
    if ((certificate == null) != (key == null)) {
      throw new IllegalArgumentException("an HTTPS listener needs both a certificate and a key");
    }
  }

  /** True when the HTTPS listener is configured. */
  public boolean enabled() {
    return certificate != null;
  }
}
