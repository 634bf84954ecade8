package dev.bindery.server.http;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTPS listener's PEM files: a file that cannot serve is refused with its name and the
 * problem. (A working pair is exercised end to end by {@code HttpsListenerIT}.)
 */
class PemKeyStoreTest {

  @TempDir
  Path dir;

  @Test
  void traditionalRsaKeyIsRefusedWithTheConversionCommand() throws IOException {
    Path key = Files.writeString(dir.resolve("key.pem"),
        "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");

    assertThatThrownBy(() -> PemKeyStore.load(dir.resolve("cert.pem"), key, "p".toCharArray()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(key.toString())
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
  }

  @Test
  void certificateFileWithoutACertificateIsRefusedByName() throws Exception {
    byte[] pkcs8 = KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate().getEncoded();
    Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(pkcs8) + "\n-----END PRIVATE KEY-----\n");
    Path cert = Files.writeString(dir.resolve("cert.pem"), "not a certificate\n");

    assertThatThrownBy(() -> PemKeyStore.load(cert, key, "p".toCharArray()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(cert.toString());
  }
}
