package dev.bindery.server.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Thread-safe: files are written once, by the methods that create them. A throwaway certificate
 * authority made with the {@code openssl} command in a scratch directory: its certificate (what a
 * client trusts) and server certificates it issues for a name.
 */
final class TestCa implements AutoCloseable {

  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

  /** A server key and certificate, PEM. */
  record Issued(Path certificate, Path key) {}

  private final Path dir;
  private final Path cert;
  private final Path key;
  private int serial;

  private TestCa(Path dir) {
    this.dir = dir;
    this.cert = dir.resolve("ca.crt");
    this.key = dir.resolve("ca.key");
  }

  /** A new CA named {@code name}. */
  static TestCa create(String name) throws IOException, InterruptedException {
    TestCa ca = new TestCa(ScratchDir.create("ca"));
    ca.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=" + name, "-keyout", ca.key.toString(), "-out", ca.cert.toString(),
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    return ca;
  }

  /** The CA certificate, PEM: what a client configured to trust this CA loads. */
  Path certificate() {
    return cert;
  }

  /** A server certificate for {@code dnsName} (its CN and only subjectAltName). */
  Issued issue(String dnsName) throws IOException, InterruptedException {
    return issue(dnsName, "DNS:" + dnsName);
  }

  /** A server certificate named {@code cn}, for the {@code subjectAltNames} ({@code IP:…}). */
  synchronized Issued issue(String cn, String subjectAltNames)
      throws IOException, InterruptedException {
    String base = "server-" + (++serial);
    Path serverKey = dir.resolve(base + ".key");
    Path csr = dir.resolve(base + ".csr");
    Path serverCert = dir.resolve(base + ".crt");
    Path ext = dir.resolve(base + ".ext");
    Files.writeString(ext, "subjectAltName=" + subjectAltNames + "\n"
        + "extendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n");
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + cn,
        "-keyout", serverKey.toString(), "-out", csr.toString());
    openssl("x509", "-req", "-in", csr.toString(), "-CA", cert.toString(), "-CAkey",
        key.toString(), "-set_serial", String.valueOf(1000 + serial), "-days", "2",
        "-extfile", ext.toString(), "-out", serverCert.toString());
    return new Issued(serverCert, serverKey);
  }

  private void openssl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    ChildProcess.Result r = ChildProcess.run(command, dir, Map.of(), COMMAND_TIMEOUT);
    if (r.exitCode() != 0) {
      throw new IllegalStateException("openssl " + args[0] + " exited with " + r.exitCode()
          + ": " + r.output());
    }
  }

  @Override
  public void close() {
    ScratchDir.delete(dir);
  }
}
