package dev.bindery.server.ops;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Thread-safe. A server started by a test as a child process: its output is kept for failure
 * messages, and it is stopped by its own PID (SIGTERM, then SIGKILL), never by name.
 */
final class ChildProcess implements AutoCloseable {

  static final long START_SECONDS = 20;

  private final String name;
  private final Process process;
  private final StringBuffer output = new StringBuffer();

  private ChildProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    Thread reader = new Thread(this::read, name + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  static ChildProcess start(String name, Path workDir, List<String> command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    if (workDir != null) {
      pb.directory(workDir.toFile());
    }
    return new ChildProcess(name, pb.start());
  }

  /** A free TCP port on loopback (closed again: a tiny race, acceptable in tests). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** True if {@code command} is on the PATH. */
  static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Path.of(dir, command).toFile().canExecute()) {
        return true;
      }
    }
    return false;
  }

  /** Waits until something accepts connections on 127.0.0.1:{@code port}. */
  ChildProcess awaitPort(int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited (" + process.exitValue() + "):\n" + output);
      }
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return this;
      } catch (IOException e) {
        Thread.sleep(50); // polling a child process's listener
      }
    }
    throw new AssertionError(name + " never listened on " + port + ":\n" + output);
  }

  /** Waits until the output contains {@code text}. */
  void awaitOutput(String text, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!output.toString().contains(text)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(name + " never printed '" + text + "':\n" + output);
      }
      Thread.sleep(50);
    }
  }

  String output() {
    return output.toString();
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Sends SIGHUP to this process, by its PID, and returns once {@code kill} has. */
  void hangUp() throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(pid())).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill -HUP " + pid() + " failed");
    }
  }

  /** Sends SIGTERM and returns at once; the output is still read (Process.destroy closes it). */
  void terminate() {
    process.toHandle().destroy();
  }

  /** Sends SIGKILL and waits for the process to be gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Waits for the exit; the exit code. */
  int waitFor(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " still running after " + seconds + " s:\n" + output);
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        output.append(line).append('\n');
      }
    } catch (IOException e) {
      output.append("[output closed: ").append(e.getMessage()).append("]\n");
    }
  }
}
