package dev.bindery.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.server.it.ChildProcess;
import dev.bindery.server.it.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Not thread-safe: one test thread drives it. The shipped HAProxy config (deploy/haproxy/) run by
 * the real HAProxy in front of Bindery nodes named b1..bN, each its own JVM, like the config's
 * server lines; only addresses, ports and paths are changed. A node keeps its ports when it is
 * started again, since HAProxy's server line names them: a test can kill, drain and restart
 * nodes by their process, and wait for HAProxy's view of them on its stats page.
 */
final class HaproxyCluster implements AutoCloseable {

  /** The shipped config's server lines, replaced by one line per node. */
  static final String SHIPPED_SERVERS = "    server b1 10.0.0.11:5280 port 9280\n"
      + "    server b2 10.0.0.12:5280 port 9280\n";
  /** How long HAProxy may take to see a change: checks every second, rise 2, fall 1. */
  static final long STATUS_SECONDS = 15;

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final TempDir dir;
  private final Map<String, BinderyProcess> nodes = new LinkedHashMap<>();
  private ChildProcess haproxy;
  private URI endpoint;
  private URI stats;

  private HaproxyCluster(TempDir dir) {
    this.dir = dir;
  }

  /** True when HAProxy can be run. */
  static boolean haproxyInstalled() {
    return ChildProcess.onPath("haproxy") || Path.of("/usr/sbin/haproxy").toFile().canExecute();
  }

  /**
   * Starts {@code count} nodes (b1..bN) with {@code nodeArgs} and their {@code --node-name},
   * then HAProxy with {@code variant} applied to the shipped file; returns once HAProxy sees
   * every node UP.
   */
  static HaproxyCluster start(int count, List<String> nodeArgs,
      UnaryOperator<DeployFile> variant) throws Exception {
    HaproxyCluster cluster = new HaproxyCluster(new TempDir("bindery-haproxy-"));
    try {
      cluster.launch(count, nodeArgs, variant);
      return cluster;
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
  }

  private void launch(int count, List<String> nodeArgs, UnaryOperator<DeployFile> variant)
      throws Exception {
    for (int i = 1; i <= count; i++) {
      String name = "b" + i;
      List<String> args = new ArrayList<>(nodeArgs);
      args.addAll(List.of("--node-name", name));
      nodes.put(name, BinderyProcess.launch(name, args.toArray(String[]::new)));
    }
    for (BinderyProcess node : nodes.values()) {
      node.awaitStarted();
    }
    int front = FreePorts.pick();
    int statsPort = FreePorts.pick();
    Path errors = dir.resolve("errors");
    for (String code : List.of("502", "503", "504")) {
      DeployFile.read("haproxy/errors/bosh-" + code + ".http")
          .writeTo(errors.resolve("bosh-" + code + ".http"));
    }
    StringBuilder servers = new StringBuilder();
    for (BinderyProcess node : nodes.values()) {
      servers.append("    server ").append(node.name).append(" 127.0.0.1:").append(node.port)
          .append(" port ").append(node.adminPort).append('\n');
    }
    Path config = variant.apply(DeployFile.read("haproxy/haproxy.cfg"))
        .replace("bind :5280", "bind 127.0.0.1:" + front)
        .replace("maxconn 20000", "maxconn 1000") // within a test machine's file limit
        .replace("/etc/haproxy/errors/", errors + "/")
        .replace(SHIPPED_SERVERS, servers.toString())
        .append("frontend stats\n    bind 127.0.0.1:" + statsPort
            + "\n    stats enable\n    stats uri /stats\n")
        .writeTo(dir.resolve("haproxy.cfg"));
    String binary = ChildProcess.onPath("haproxy") ? "haproxy" : "/usr/sbin/haproxy";
    ChildProcess check = ChildProcess.start("haproxy-c", dir.path,
        List.of(binary, "-c", "-f", config.toString()));
    assertThat(check.waitFor(20)).as(check.outputText()).isZero();
    haproxy = ChildProcess.start("haproxy", dir.path, List.of(binary, "-db", "-f",
        config.toString()));
    haproxy.awaitPort(front);
    endpoint = URI.create("http://127.0.0.1:" + front + "/http-bind");
    stats = URI.create("http://127.0.0.1:" + statsPort + "/stats;csv");
    for (String name : nodes.keySet()) {
      awaitServerStatus(name, "UP");
    }
  }

  /** HAProxy's BOSH endpoint. */
  URI endpoint() {
    return endpoint;
  }

  /** The node's current process. */
  BinderyProcess node(String name) {
    BinderyProcess node = nodes.get(name);
    if (node == null) {
      throw new IllegalArgumentException("no node " + name + " (expected one of "
          + nodes.keySet() + ")");
    }
    return node;
  }

  Collection<BinderyProcess> nodes() {
    return nodes.values();
  }

  String haproxyOutput() {
    return haproxy == null ? "" : haproxy.outputText();
  }

  /** SIGKILL, as a crash: returns once the process is gone. */
  void kill(String name) throws InterruptedException {
    node(name).process.kill();
  }

  /** SIGTERM: the node drains. Returns at once. */
  void drain(String name) {
    node(name).process.terminate();
  }

  /** Waits for the node's process to exit; its exit code. */
  int awaitExit(String name, long seconds) throws InterruptedException {
    return node(name).process.waitFor(seconds);
  }

  /**
   * Starts an exited node again with its name, ports and flags; returns once it is ready and
   * HAProxy sees it UP.
   */
  BinderyProcess startAgain(String name) throws Exception {
    BinderyProcess again = node(name).relaunch();
    nodes.put(name, again);
    again.awaitStarted();
    awaitServerStatus(name, "UP");
    return again;
  }

  /** Waits until HAProxy's stats show {@code server} in {@code status} (UP, DOWN). */
  void awaitServerStatus(String server, String status) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STATUS_SECONDS);
    String last = "";
    while (System.nanoTime() < deadline) {
      String csv = HTTP.send(HttpRequest.newBuilder(stats).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      for (String line : csv.split("\n")) {
        String[] f = line.split(",");
        if (f.length > 17 && f[0].equals("bindery") && f[1].equals(server)) {
          last = f[17];
          if (last.startsWith(status)) {
            return;
          }
        }
      }
      Thread.sleep(100); // polling HAProxy's view of its servers
    }
    throw new AssertionError(server + " never " + status + " (last: " + last + ")\n"
        + haproxyOutput());
  }

  /** Kills every node (no drain: their sessions need no goodbye) and HAProxy; deletes files. */
  @Override
  public void close() throws Exception {
    try {
      for (BinderyProcess node : nodes.values()) {
        node.process.kill();
      }
      if (haproxy != null) {
        haproxy.close();
      }
    } finally {
      dir.close();
    }
  }
}
