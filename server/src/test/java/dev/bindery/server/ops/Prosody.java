package dev.bindery.server.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Thread-safe. A real Prosody for the deploy tests: client-to-server only, on a free loopback
 * port, with the two demo users, its config and data in a temporary directory.
 */
final class Prosody implements AutoCloseable {

  static final String DOMAIN = "localhost";

  private final TempDir dir;
  private final ChildProcess process;
  final int c2sPort;

  private Prosody(TempDir dir, ChildProcess process, int c2sPort) {
    this.dir = dir;
    this.process = process;
    this.c2sPort = c2sPort;
  }

  static boolean installed() {
    return ChildProcess.onPath("prosody") && ChildProcess.onPath("prosodyctl");
  }

  static Prosody start() throws Exception {
    TempDir dir = new TempDir("bindery-ops-prosody-");
    Files.createDirectories(dir.resolve("data"));
    Files.createDirectories(dir.resolve("certs"));
    int c2s = ChildProcess.freePort();
    Path config = dir.resolve("prosody.cfg.lua");
    Files.writeString(config, String.join("\n",
        "run_as_root = true",
        "data_path = \"" + dir.resolve("data") + "\"",
        "certificates = \"" + dir.resolve("certs") + "\"",
        "pidfile = \"" + dir.resolve("prosody.pid") + "\"",
        "log = { { levels = { min = \"warn\" }, to = \"console\" } }",
        "interfaces = { \"127.0.0.1\" }",
        "c2s_interfaces = { \"127.0.0.1\" }",
        "c2s_ports = { " + c2s + " }",
        "s2s_ports = { }",
        "http_ports = { }",
        "https_ports = { }",
        "c2s_require_encryption = false",
        "allow_unencrypted_plain_auth = true",
        "authentication = \"internal_plain\"",
        "modules_enabled = { \"roster\"; \"saslauth\"; \"disco\"; \"ping\" }",
        "modules_disabled = { \"s2s\" }",
        "VirtualHost \"" + DOMAIN + "\"",
        ""));
    register(config, "admin", "mypassword1");
    register(config, "myself", "mypassword2");
    ChildProcess process = ChildProcess.start("prosody", dir.path,
        List.of("prosody", "--config", config.toString(), "-F"));
    process.awaitPort(c2s);
    return new Prosody(dir, process, c2s);
  }

  private static void register(Path config, String user, String password) throws Exception {
    Process p = new ProcessBuilder("prosodyctl", "--config", config.toString(), "register",
        user, DOMAIN, password).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("prosodyctl register " + user + " failed: " + out);
    }
  }

  @Override
  public void close() throws Exception {
    try {
      process.close();
    } finally {
      dir.close();
    }
  }
}
