package dev.bindery.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * Stateless. Builds an in-memory key store from the PEM files operators have (a certificate
 * chain and a PKCS #8 private key, as certbot and {@code openssl} write them), so no keytool
 * step stands between a certificate and Bindery's HTTPS listener.
 */
public final class PemKeyStore {

  private static final String BEGIN_KEY = "-----BEGIN PRIVATE KEY-----";
  private static final String END_KEY = "-----END PRIVATE KEY-----";

  private PemKeyStore() {}

  /**
   * A PKCS #12 key store, in memory, holding the key under the alias {@code bindery}, protected
   * by {@code password}.
   *
   * @throws IOException with the file and the problem when either file cannot be used
   */
  public static KeyStore load(Path certificate, Path key, char[] password) throws IOException {
    PrivateKey privateKey = privateKey(key);
    List<? extends Certificate> chain = certificates(certificate);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("bindery", privateKey, password, chain.toArray(new Certificate[0]));
      return store;
    } catch (GeneralSecurityException e) {
      throw new IOException("certificate " + certificate + " and key " + key
          + " do not make a key store: " + e.getMessage(), e);
    }
  }

  private static List<? extends Certificate> certificates(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      List<? extends Certificate> chain = List.copyOf(
          CertificateFactory.getInstance("X.509").generateCertificates(in));
      if (chain.isEmpty()) {
        throw new IOException("no certificate in " + file);
      }
      return chain;
    } catch (GeneralSecurityException e) {
      throw new IOException("not a PEM certificate file: " + file + ": " + e.getMessage(), e);
    }
  }

  private static PrivateKey privateKey(Path file) throws IOException {
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    int begin = pem.indexOf(BEGIN_KEY);
    int end = pem.indexOf(END_KEY);
    if (begin < 0 || end < begin) {
      throw new IOException("no '" + BEGIN_KEY + "' block in " + file
          + " (convert with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8)");
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN_KEY.length(), end));
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (InvalidKeySpecException | NoSuchAlgorithmException e) {
        // try the next algorithm
      }
    }
    throw new IOException("unsupported private key in " + file + " (expected RSA, EC or Ed25519)");
  }
}
