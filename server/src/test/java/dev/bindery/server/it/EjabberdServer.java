package dev.bindery.server.it;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread-safe. An ejabberd 23.01 run as a child process ({@code ejabberdctl ... foreground})
 * with a throwaway directory that holds its configs, Mnesia spool and logs.
 *
 * <p>Client-to-server listens on 127.0.0.1 at a free port, without TLS, with SASL PLAIN allowed
 * and passwords stored in plain text. There is no server-to-server listener. With
 * {@link #startWithNativeBosh}, ejabberd's own mod_bosh also serves {@code /http-bind} on another
 * free port. Its sessions are pinged after a second of silence: ejabberd 23.01's
 * {@code ejabberd_bosh} processes a request that arrived before its predecessor (rid N+1 before
 * N) only when the session next has output, and a request N that has none would otherwise leave
 * it waiting for the 60 s 'wait'.
 *
 * <p>Each instance is its own Erlang node with a unique name and a random cookie. Its
 * {@code ejabberdctl.cfg} sets {@code ERL_DIST_PORT}, so the node listens for distribution on a
 * free loopback port and neither it nor the {@code ejabberdctl} calls use (or start) epmd. It
 * also sets {@code EXEC_CMD=as_current_user}: run as root, the script otherwise re-runs itself
 * through {@code su ejabberd}, and that user cannot read the temp directory.
 */
public final class EjabberdServer implements XmppServer {

  static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  static final Duration STOP_GRACE = Duration.ofSeconds(15);
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(EjabberdServer.class);
  private static final Duration STATUS_POLL = Duration.ofMillis(200);
  private static final int LOG_TAIL_LINES = 40;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String domain;
  private final Path dir;
  private final String node;
  private final int c2sPort;
  private final URI boshUrl;
  private final int proxyC2sPort;
  private final List<String> extraModules;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile ChildProcess process;
  /** Its own BOSH port, 0: none; set once by {@link #launch}. */
  private volatile int httpPort;

  private EjabberdServer(String domain, Path dir, String node, int c2sPort, URI boshUrl,
      int proxyC2sPort) {
    this(domain, dir, node, c2sPort, boshUrl, proxyC2sPort, List.of());
  }

  private EjabberdServer(String domain, Path dir, String node, int c2sPort, URI boshUrl,
      int proxyC2sPort, List<String> extraModules) {
    this.domain = domain;
    this.dir = dir;
    this.node = node;
    this.c2sPort = c2sPort;
    this.boshUrl = boshUrl;
    this.proxyC2sPort = proxyC2sPort;
    this.extraModules = List.copyOf(extraModules);
  }

  /**
   * Starts ejabberd serving {@code domain} with a second client-to-server listener, on {@link
   * #proxyC2sPort()}, that takes the PROXY protocol ({@code use_proxy_protocol: true}).
   */
  static EjabberdServer startWithProxyProtocol(String domain)
      throws IOException, InterruptedException {
    int[] ports = FreePorts.pick(3);
    return launched(new EjabberdServer(domain, ScratchDir.create("ejabberd"), newNode(),
        ports[0], null, ports[2]), ports[1], 0);
  }

  /** The client-to-server port that expects a PROXY header first, or 0. */
  int proxyC2sPort() {
    return proxyC2sPort;
  }

  /**
   * {@code ejabberdctl connected_users_info}: one line per session, tab-separated: JID,
   * connection, IP address, port, priority, node, uptime, status, resource, status text.
   */
  String connectedUsersInfo() throws IOException, InterruptedException {
    ChildProcess.Result result =
        ChildProcess.run(ctl("connected_users_info"), dir, env(), COMMAND_TIMEOUT);
    if (result.exitCode() != 0) {
      throw new IllegalStateException("ejabberdctl connected_users_info exited with "
          + result.exitCode() + ": " + result.output().strip());
    }
    return result.output();
  }

  /** Starts ejabberd serving {@code domain} on client-to-server only. */
  static EjabberdServer start(String domain) throws IOException, InterruptedException {
    return start(domain, false);
  }

  /**
   * Starts ejabberd serving {@code domain} on client-to-server only, with more modules: {@code
   * moduleLines} go under {@code modules:} as they are, e.g. {@code "  mod_stream_mgmt:"} and
   * {@code "    resume_timeout: 60"}.
   */
  public static EjabberdServer startWithModules(String domain, List<String> moduleLines)
      throws IOException, InterruptedException {
    int[] ports = FreePorts.pick(2);
    return launched(new EjabberdServer(domain, ScratchDir.create("ejabberd"), newNode(),
        ports[0], null, 0, moduleLines), ports[1], 0);
  }

  /** Starts ejabberd serving {@code domain} on client-to-server and on its own BOSH endpoint. */
  static EjabberdServer startWithNativeBosh(String domain)
      throws IOException, InterruptedException {
    return start(domain, true);
  }

  private static EjabberdServer start(String domain, boolean nativeBosh)
      throws IOException, InterruptedException {
    int[] ports = FreePorts.pick(3);
    int c2sPort = ports[0];
    int distPort = ports[1];
    int httpPort = nativeBosh ? ports[2] : 0;
    URI boshUrl = nativeBosh
        ? URI.create("http://" + FreePorts.HOST + ":" + httpPort + "/http-bind")
        : null;
    return launched(new EjabberdServer(domain, ScratchDir.create("ejabberd"), newNode(), c2sPort,
        boshUrl, 0), distPort, httpPort);
  }

  /** A fresh Erlang node name, so that runs never meet. */
  private static String newNode() {
    return "bindery-it-" + hex(4) + "@localhost";
  }

  /** Launches {@code server}, stopped at exit; closed again if it does not come up. */
  private static EjabberdServer launched(EjabberdServer server, int distPort, int httpPort)
      throws IOException, InterruptedException {
    ExitCleanup.register(server);
    try {
      server.launch(distPort, httpPort);
      return server;
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private void launch(int distPort, int httpPort) throws IOException, InterruptedException {
    Files.createDirectory(dir.resolve("spool"));
    Files.createDirectory(dir.resolve("logs"));
    Files.writeString(dir.resolve("ejabberd.yml"), config(httpPort), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("ejabberdctl.cfg"), ctlConfig(distPort), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("inetrc"), inetrc(), StandardCharsets.UTF_8);
    this.httpPort = httpPort;
    run();
  }

  /** Starts the node on the configs written, and waits until it serves. */
  private void run() throws IOException, InterruptedException {
    process = ChildProcess.start("ejabberd", ctl("foreground"), dir, env(),
        dir.resolve("console.log"));
    try {
      awaitStarted();
      StreamProbe.awaitFeatures(host(), c2sPort, domain, process, START_TIMEOUT);
      if (httpPort != 0) {
        StreamProbe.awaitAccepting(host(), httpPort, process, START_TIMEOUT);
      }
    } catch (IllegalStateException e) {
      throw new IllegalStateException("ejabberd did not start: " + e.getMessage() + "\n"
          + ChildProcess.tail(logFile(), LOG_TAIL_LINES) + "\n"
          + ChildProcess.tail(process.output(), LOG_TAIL_LINES), e);
    }
  }

  /** The Erlang VM, a descendant of the {@code ejabberdctl foreground} this JVM started. */
  @Override
  public long signal(String signal) throws IOException, InterruptedException {
    return process.signal(signal, "beam.smp");
  }

  /** Starts the same node again: same name, ports, cookie and Mnesia spool. */
  @Override
  public void restart() throws IOException, InterruptedException {
    ChildProcess dead = process;
    if (!dead.awaitExit(STOP_GRACE)) {
      throw new IllegalStateException(dead + " is still running");
    }
    run();
  }

  /** Polls {@code ejabberdctl status}, which exits with 0 once the node runs ejabberd. */
  private void awaitStarted() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      ChildProcess.Result status = ChildProcess.run(ctl("status"), dir, env(), COMMAND_TIMEOUT);
      if (status.exitCode() == 0) {
        return;
      }
      if (process.awaitExit(STATUS_POLL)) {
        throw new IllegalStateException(process + " exited with " + process.exitValue());
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("ejabberdctl status still exits with "
            + status.exitCode() + " after " + START_TIMEOUT + ": " + status.output().strip());
      }
    }
  }

  private String config(int httpPort) {
    List<String> lines = new ArrayList<>(List.of(
        "# Written by EjabberdServer for one test run.",
        "hosts:",
        "  - " + yaml(domain),
        "loglevel: " + ScratchDir.serverLogLevel(),
        "log_rotate_count: 0",
        "auth_method: internal",
        "auth_password_format: plain",
        "",
        "# Only the listeners below, and only on loopback. The default backlog of 5 is too",
        "# small for a burst of connections.",
        "listen:",
        "  -",
        "    port: " + c2sPort,
        "    ip: \"127.0.0.1\"",
        "    module: ejabberd_c2s",
        "    backlog: 1024",
        "    starttls_required: false"));
    if (proxyC2sPort != 0) {
      lines.addAll(List.of(
          "  -",
          "    port: " + proxyC2sPort,
          "    ip: \"127.0.0.1\"",
          "    module: ejabberd_c2s",
          "    use_proxy_protocol: true",
          "    starttls_required: false"));
    }
    if (httpPort != 0) {
      lines.addAll(List.of(
          "  -",
          "    port: " + httpPort,
          "    ip: \"127.0.0.1\"",
          "    module: ejabberd_http",
          "    backlog: 1024",
          "    request_handlers:",
          "      /http-bind: mod_bosh"));
    }
    lines.addAll(List.of(
        "",
        "# No mod_offline: a message to an absent user bounces instead of turning up in a",
        "# later test.",
        "modules:",
        "  mod_disco: {}",
        "  mod_roster: {}"));
    if (proxyC2sPort != 0) {
      lines.add("  mod_admin_extra: {} # ejabberdctl connected_users_info");
    }
    if (httpPort == 0) {
      lines.add("  mod_ping: {}");
    } else {
      lines.addAll(List.of(
          "  mod_bosh: {}",
          "  # mod_bosh leaves a request that arrives ahead of its turn (rid N+1 before N) unread",
          "  # until the session has output, and jbosh sends on two connections at once. A ping",
          "  # after a second of silence is such output: a stall lasts ~1 s, not 'wait' (60 s).",
          "  mod_ping:",
          "    send_pings: true",
          "    ping_interval: 1"));
    }
    lines.addAll(extraModules);
    lines.add("");
    return String.join("\n", lines);
  }

  /** Sourced by {@code /usr/sbin/ejabberdctl} after it has parsed its options. */
  private String ctlConfig(int distPort) {
    return String.join("\n",
        "# Written by EjabberdServer for one test run; sourced by ejabberdctl.",
        "# Stay the current user (root) instead of re-running through 'su ejabberd'.",
        "EXEC_CMD=as_current_user",
        "# Distribution on this port: no epmd, for the node or for the ctl calls.",
        "ERL_DIST_PORT=" + distPort,
        "ERL_OPTIONS=\"-setcookie " + hex(16)
            + " -kernel inet_dist_use_interface {127,0,0,1} -env ERL_CRASH_DUMP_BYTES 0\"",
        "EJABBERD_PID_PATH=" + dir.resolve("ejabberd.pid"),
        "EJABBERD_BYPASS_WARNINGS=true",
        "");
  }

  private static String inetrc() {
    return String.join("\n",
        "{lookup, [file, native]}.",
        "{host, {127,0,0,1}, [\"localhost\"]}.",
        "");
  }

  private List<String> ctl(String... command) {
    List<String> line = new ArrayList<>(List.of("ejabberdctl",
        "--config-dir", dir.toString(),
        "--ctl-config", dir.resolve("ejabberdctl.cfg").toString(),
        "--config", dir.resolve("ejabberd.yml").toString(),
        "--spool", dir.resolve("spool").toString(),
        "--logs", dir.resolve("logs").toString(),
        "--node", node));
    line.addAll(List.of(command));
    return line;
  }

  /** HOME is where Erlang would write {@code .erlang.cookie} and shell history: keep it here. */
  private Map<String, String> env() {
    return Map.of("HOME", dir.toString());
  }

  /** A YAML double-quoted string. */
  private static String yaml(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String hex(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return HexFormat.of().formatHex(random);
  }

  @Override
  public void register(String username, String password)
      throws IOException, InterruptedException {
    ChildProcess.Result result =
        ChildProcess.run(ctl("register", username, domain, password), dir, env(), COMMAND_TIMEOUT);
    if (result.exitCode() != 0) {
      throw new IllegalStateException("ejabberdctl register " + username + " " + domain
          + " exited with " + result.exitCode() + ": " + result.output().strip());
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
    return dir.resolve("logs").resolve("ejabberd.log");
  }

  /** The Erlang node name, unique to this instance. */
  String node() {
    return node;
  }

  /**
   * Stops ejabberd with {@code ejabberdctl stop}; if the node is still up after
   * {@link #STOP_GRACE}, SIGTERM and then SIGKILL go to the process tree this JVM started.
   * Deletes the directory.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      ChildProcess started = process;
      if (started != null) {
        started.stop(STOP_GRACE, this::requestStop);
      }
      ScratchDir.delete(dir);
    } finally {
      ExitCleanup.unregister(this);
    }
  }

  private void requestStop() throws IOException, InterruptedException {
    ChildProcess.Result result = ChildProcess.run(ctl("stop"), dir, env(), COMMAND_TIMEOUT);
    if (result.exitCode() != 0) {
      LOG.warn("ejabberdctl stop exited with {}: {}", result.exitCode(), result.output().strip());
    }
  }

  @Override
  public String toString() {
    return "ejabberd[" + node + " " + domain + " c2s=" + host() + ":" + c2sPort
        + (boshUrl == null ? "" : " bosh=" + boshUrl) + " dir=" + dir + "]";
  }
}
