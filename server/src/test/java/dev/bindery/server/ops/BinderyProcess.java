package dev.bindery.server.ops;

import dev.bindery.server.it.ChildProcess;
import dev.bindery.server.it.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Thread-safe. A Bindery node as its own JVM ({@code dev.bindery.server.Main} on the test class
 * path), so that a test can SIGTERM it (drain) or SIGKILL it (crash) like an operator would.
 */
final class BinderyProcess implements AutoCloseable {

  final String name;
  final int port;
  final int adminPort;
  final ChildProcess process;
  private final List<String> args;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private BinderyProcess(String name, int port, int adminPort, List<String> args,
      ChildProcess process) {
    this.name = name;
    this.port = port;
    this.adminPort = adminPort;
    this.args = args;
    this.process = process;
  }

  /** Starts a node and waits until it is ready. */
  static BinderyProcess start(String name, String... args) throws Exception {
    BinderyProcess node = launch(name, args);
    node.awaitStarted();
    return node;
  }

  /** Starts a node without waiting: call {@link #awaitStarted()}. */
  static BinderyProcess launch(String name, String... args) throws Exception {
    int port = FreePorts.pick();
    int admin = FreePorts.pick();
    return launch(name, port, admin, List.of(args));
  }

  /**
   * Starts this node again, with the same name, ports and flags, once this process has exited:
   * a load balancer's server line names fixed ports. Does not wait: call {@link #awaitStarted()}.
   */
  BinderyProcess relaunch() throws Exception {
    if (process.isAlive()) {
      throw new IllegalStateException(name + " is still running (pid " + process.pid() + ")");
    }
    return launch(name, port, adminPort, args);
  }

  private static BinderyProcess launch(String name, int port, int admin, List<String> args)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"),
        "dev.bindery.server.Main",
        "--port", Integer.toString(port), "--admin-port", Integer.toString(admin)));
    command.addAll(args);
    return new BinderyProcess(name, port, admin, args, ChildProcess.start(name, null, command));
  }

  void awaitStarted() throws InterruptedException {
    process.awaitPort(adminPort);
    awaitReady(true);
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + port + "/http-bind");
  }

  /** The status of {@code /health/ready}, or -1 if the node does not answer. */
  int readyStatus() {
    try {
      return HTTP.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + adminPort + "/health/ready")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  void awaitReady(boolean ready) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ChildProcess.START_SECONDS);
    while ((readyStatus() == 200) != ready) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never " + (ready ? "ready" : "unready") + ":\n"
            + process.outputText());
      }
      Thread.sleep(50); // polling a child process's health endpoint
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
