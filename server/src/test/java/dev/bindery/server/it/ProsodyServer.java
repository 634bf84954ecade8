package dev.bindery.server.it;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Thread-safe. A Prosody 0.12 run as a child process ({@code prosody --config FILE -F}) with a
 * throwaway data directory that holds its config, accounts, pidfile and logs.
 *
 * <p>Client-to-server listens on 127.0.0.1 at a free port, without TLS, with SASL PLAIN allowed
 * and accounts stored in plain text. Server-to-server is not loaded and every other listener is
 * given no ports, so nothing binds a fixed port. With {@link #startWithNativeBosh}, Prosody's
 * own mod_bosh also serves {@code /http-bind} on another free port. With {@link #startWithTls},
 * it has a certificate, requires STARTTLS on client-to-server and also listens for direct TLS
 * (XEP-0368) on another free port.
 */
public final class ProsodyServer implements XmppServer {

  static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  static final Duration STOP_GRACE = Duration.ofSeconds(10);
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

  private static final int LOG_TAIL_LINES = 40;

  private final String domain;
  private final Path dir;
  private final Path config;
  private final int c2sPort;
  private final URI boshUrl;
  private final TestCa.Issued tls;
  private final int directTlsPort;
  private final List<String> extraModules;
  private final List<String> extraSettings;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile ChildProcess process;
  /** Its own BOSH port, 0: none; set once by {@link #launch}. */
  private volatile int httpPort;

  private ProsodyServer(String domain, Path dir, int c2sPort, URI boshUrl, TestCa.Issued tls,
      int directTlsPort) {
    this(domain, dir, c2sPort, boshUrl, tls, directTlsPort, List.of(), List.of());
  }

  private ProsodyServer(String domain, Path dir, int c2sPort, URI boshUrl, TestCa.Issued tls,
      int directTlsPort, List<String> extraModules, List<String> extraSettings) {
    this.domain = domain;
    this.dir = dir;
    this.config = dir.resolve("prosody.cfg.lua");
    this.c2sPort = c2sPort;
    this.boshUrl = boshUrl;
    this.tls = tls;
    this.directTlsPort = directTlsPort;
    this.extraModules = List.copyOf(extraModules);
    this.extraSettings = List.copyOf(extraSettings);
  }

  /**
   * Starts Prosody serving {@code domain} with {@code certificate}: STARTTLS required on the
   * client-to-server port, direct TLS on {@link #directTlsPort()}.
   */
  static ProsodyServer startWithTls(String domain, TestCa.Issued certificate)
      throws IOException, InterruptedException {
    int[] ports = FreePorts.pick(2);
    ProsodyServer server = new ProsodyServer(domain, ScratchDir.create("prosody"), ports[0],
        null, certificate, ports[1]);
    return launched(server, 0);
  }

  /** The direct TLS client port, or 0 when started without TLS. */
  int directTlsPort() {
    return directTlsPort;
  }

  /** Starts Prosody serving {@code domain} on client-to-server only. */
  public static ProsodyServer start(String domain) throws IOException, InterruptedException {
    return start(domain, false);
  }

  /**
   * Starts Prosody serving {@code domain} on client-to-server only, with {@code modules} enabled
   * besides the usual ones (e.g. {@code smacks}) and {@code settings}, global Lua lines such as
   * {@code smacks_hibernation_time = 60}, added to the config.
   */
  public static ProsodyServer startWithModules(String domain, List<String> modules,
      List<String> settings) throws IOException, InterruptedException {
    int[] ports = FreePorts.pick(1);
    ProsodyServer server = new ProsodyServer(domain, ScratchDir.create("prosody"), ports[0],
        null, null, 0, modules, settings);
    return launched(server, 0);
  }

  /** Starts Prosody serving {@code domain} on client-to-server and on its own BOSH endpoint. */
  static ProsodyServer startWithNativeBosh(String domain)
      throws IOException, InterruptedException {
    return start(domain, true);
  }

  private static ProsodyServer start(String domain, boolean nativeBosh)
      throws IOException, InterruptedException {
    int[] ports = FreePorts.pick(2);
    URI boshUrl = nativeBosh
        ? URI.create("http://" + FreePorts.HOST + ":" + ports[1] + "/http-bind")
        : null;
    ProsodyServer server =
        new ProsodyServer(domain, ScratchDir.create("prosody"), ports[0], boshUrl, null, 0);
    return launched(server, nativeBosh ? ports[1] : 0);
  }

  /** Launches {@code server} (its BOSH on {@code httpPort}, 0: none), or closes it and throws. */
  private static ProsodyServer launched(ProsodyServer server, int httpPort)
      throws IOException, InterruptedException {
    ExitCleanup.register(server);
    try {
      server.launch(httpPort);
      return server;
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private void launch(int httpPort) throws IOException, InterruptedException {
    this.httpPort = httpPort;
    Files.createDirectory(dir.resolve("certs"));
    Files.writeString(config, config(httpPort), StandardCharsets.UTF_8);
    run();
  }

  /** Starts the process on the config written, and waits until it serves. */
  private void run() throws IOException, InterruptedException {
    process = ChildProcess.start("prosody", List.of("prosody", "--config", config.toString(), "-F"),
        dir, Map.of(), dir.resolve("console.log"));
    try {
      StreamProbe.awaitFeatures(host(), c2sPort, domain, process, START_TIMEOUT);
      if (httpPort != 0) {
        StreamProbe.awaitAccepting(host(), httpPort, process, START_TIMEOUT);
      }
      if (directTlsPort != 0) {
        StreamProbe.awaitAccepting(host(), directTlsPort, process, START_TIMEOUT);
      }
    } catch (IllegalStateException e) {
      throw new IllegalStateException("prosody did not start: " + e.getMessage() + "\n"
          + ChildProcess.tail(logFile(), LOG_TAIL_LINES) + "\n"
          + ChildProcess.tail(process.output(), LOG_TAIL_LINES), e);
    }
  }

  @Override
  public long signal(String signal) throws IOException, InterruptedException {
    return process.signal(signal, null);
  }

  @Override
  public void restart() throws IOException, InterruptedException {
    ChildProcess dead = process;
    if (!dead.awaitExit(STOP_GRACE)) {
      throw new IllegalStateException(dead + " is still running");
    }
    run();
  }

  private String config(int httpPort) {
    // blocklist (XEP-0191), as in Prosody's default config: Converse.js opens a chat with a
    // contact not in the roster only once it has the blocklist
    String modules = (tls == null ? "" : "\"tls\", ") + (httpPort == 0
        ? "\"roster\", \"saslauth\", \"disco\", \"ping\", \"blocklist\""
        : "\"roster\", \"saslauth\", \"disco\", \"ping\", \"blocklist\", \"bosh\"")
        + extraModules.stream().map(m -> ", " + lua(m)).collect(Collectors.joining());
    String http = httpPort == 0 ? "" : String.valueOf(httpPort);
    return String.join("\n",
        "-- Written by ProsodyServer for one test run.",
        "run_as_root = true",
        "data_path = " + lua(dir.toString()),
        "pidfile = " + lua(dir.resolve("prosody.pid").toString()),
        "log = { { levels = { min = " + lua(ScratchDir.serverLogLevel())
            + " }, to = \"file\", filename = "
            + lua(logFile().toString()) + " } }",
        "certificates = " + lua(dir.resolve("certs").toString()),
        "",
        "-- Only the ports below, and only on loopback.",
        "interfaces = { \"127.0.0.1\" }",
        "local_interfaces = { \"127.0.0.1\" }",
        "c2s_interfaces = { \"127.0.0.1\" }",
        "c2s_ports = { " + c2sPort + " }",
        "http_interfaces = { \"127.0.0.1\" }",
        "http_ports = { " + http + " }",
        "c2s_direct_tls_ports = { " + (directTlsPort == 0 ? "" : directTlsPort) + " }",
        "legacy_ssl_ports = { }",
        "s2s_ports = { }",
        "s2s_direct_tls_ports = { }",
        "https_ports = { }",
        "component_ports = { }",
        "proxy65_ports = { }",
        "",
        "modules_enabled = { " + modules + " }",
        "-- No s2s. No offline storage: a message to an absent user bounces instead of",
        "-- turning up in a later test.",
        "modules_disabled = { \"s2s\", \"s2s_auth_certs\", \"offline\" }",
        "",
        tls == null ? "" : "ssl = { certificate = " + lua(tls.certificate().toString())
            + ", key = " + lua(tls.key().toString()) + " }",
        "c2s_require_encryption = " + (tls != null),
        "allow_unencrypted_plain_auth = true",
        "authentication = \"internal_plain\"",
        "consider_bosh_secure = true",
        "http_default_host = " + lua(domain),
        String.join("\n", extraSettings),
        "",
        "VirtualHost " + lua(domain),
        "");
  }

  /** A Lua string literal. */
  private static String lua(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  @Override
  public void register(String username, String password)
      throws IOException, InterruptedException {
    ChildProcess.Result result = ChildProcess.run(
        List.of("prosodyctl", "--config", config.toString(), "register", username, domain,
            password),
        dir, Map.of(), COMMAND_TIMEOUT);
    if (result.exitCode() != 0) {
      throw new IllegalStateException("prosodyctl register " + username + " " + domain
          + " exited with " + result.exitCode() + ": " + result.output());
    }
  }

  @Override
  public String host() {
    return FreePorts.HOST;
  }

  @Override
  public int c2sPort() {
    return c2sPort;
  }

  @Override
  public String domain() {
    return domain;
  }

  @Override
  public URI boshUrl() {
    return boshUrl;
  }

  @Override
  public Path logFile() {
    return dir.resolve("prosody.log");
  }

  /** Stops Prosody with SIGTERM (SIGKILL after {@link #STOP_GRACE}) and deletes its directory. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      if (process != null) {
        process.stop(STOP_GRACE);
      }
      ScratchDir.delete(dir);
    } finally {
      ExitCleanup.unregister(this);
    }
  }

  @Override
  public String toString() {
    return "prosody[" + domain + " c2s=" + host() + ":" + c2sPort
        + (boshUrl == null ? "" : " bosh=" + boshUrl) + " dir=" + dir + "]";
  }
}
