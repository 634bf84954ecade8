package dev.bindery.server.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread-safe. A process this JVM started, its stdout and stderr going to one file: the XMPP
 * servers of the ITs, and the Bindery nodes, proxies and tools of the deploy tests
 * ({@code dev.bindery.server.ops}). Its output is kept for failure messages.
 *
 * <p>{@link #stop} ends it and the processes it started, and nothing else: signals go only to
 * handles taken from this process's own tree, by PID, never by name.
 */
public final class ChildProcess implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);

  /** What a short command printed, and how it exited. */
  public record Result(int exitCode, String output) {}

  /** How long a server may take to listen ({@link #awaitPort}). */
  public static final long START_SECONDS = 20;
  /** How long {@link #close} waits after SIGTERM before SIGKILL. */
  static final Duration CLOSE_GRACE = Duration.ofSeconds(15);
  /** A pause between two looks at a starting process's port or output. */
  private static final Duration POLL = Duration.ofMillis(50);

  /** A polite request to exit, e.g. {@code ejabberdctl stop}. */
  public interface ExitRequest {
    void send() throws IOException, InterruptedException;
  }

  private final String name;
  private final Process process;
  private final Path output;

  private ChildProcess(String name, Process process, Path output) {
    this.name = name;
    this.process = process;
    this.output = output;
  }

  /** Starts {@code command} in {@code workDir} with {@code env} added to this JVM's environment. */
  static ChildProcess start(String name, List<String> command, Path workDir,
      Map<String, String> env, Path output) throws IOException {
    ChildProcess child = spawn(name, command, workDir, env, output);
    LOG.info("{} started: pid={} {}", name, child.pid(), String.join(" ", command));
    return child;
  }

  /**
   * Starts {@code command} in {@code workDir} (null: this JVM's) with this JVM's environment,
   * its output going to a temporary file.
   */
  public static ChildProcess start(String name, Path workDir, List<String> command)
      throws IOException {
    Path output = Files.createTempFile(name + "-", ".out");
    output.toFile().deleteOnExit();
    return start(name, command, workDir == null ? Path.of("") : workDir, Map.of(), output);
  }

  private static ChildProcess spawn(String name, List<String> command, Path workDir,
      Map<String, String> env, Path output) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(workDir.toString().isEmpty() ? null : workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().putAll(env);
    return new ChildProcess(name, builder.start(), output);
  }

  /**
   * Runs a short command to completion, e.g. {@code prosodyctl register}, and returns what it
   * printed. A command still running after {@code timeout} is killed, with its children.
   */
  public static Result run(List<String> command, Path workDir, Map<String, String> env,
      Duration timeout) throws IOException, InterruptedException {
    Path output = Files.createTempFile(workDir, "command-", ".out");
    try {
      LOG.debug("running {}", command);
      ChildProcess child = spawn(command.get(0), command, workDir, env, output);
      if (!child.awaitExit(timeout)) {
        child.stop(Duration.ofSeconds(2));
        throw new IllegalStateException("command timed out after " + timeout + ": "
            + String.join(" ", command) + "\n" + tail(output, 40));
      }
      return new Result(child.exitValue(), read(output));
    } finally {
      Files.deleteIfExists(output);
    }
  }

  /** True if {@code command} is an executable on the PATH. */
  public static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Returns true if the process exited within {@code timeout}. Also serves as a polling pause. */
  public boolean awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  public int exitValue() {
    return process.exitValue();
  }

  /** The file the process writes its stdout and stderr to. */
  public Path output() {
    return output;
  }

  /** What the process has printed so far, or a note that it cannot be read. */
  public String outputText() {
    try {
      return read(output);
    } catch (IOException e) {
      return "(cannot read " + output + ": " + e + ")";
    }
  }

  /** Waits until something accepts connections on loopback {@code port}; returns this. */
  public ChildProcess awaitPort(int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited (" + process.exitValue() + "):\n"
            + outputText());
      }
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return this;
      } catch (IOException e) {
        awaitExit(POLL); // not listening yet: look again after a pause
      }
    }
    throw new AssertionError(name + " never listened on " + port + ":\n" + outputText());
  }

  /** Waits until the output contains {@code text}. */
  public void awaitOutput(String text, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!outputText().contains(text)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(name + " never printed '" + text + "':\n" + outputText());
      }
      awaitExit(POLL);
    }
  }

  /** Sends SIGHUP to this process, by its PID, and returns once {@code kill} has. */
  public void hangUp() throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(pid())).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill -HUP " + pid() + " failed");
    }
  }

  /**
   * Sends {@code signal} (e.g. {@code KILL}, {@code STOP}, {@code CONT}) by PID to the live
   * process of this one's tree, itself first, whose executable's file name is {@code executable}
   * (null: this process itself), e.g. ejabberd's Erlang VM {@code beam.smp} below the started
   * {@code ejabberdctl}; returns its PID. Nothing outside the tree is signalled.
   */
  public long signal(String signal, String executable) throws IOException, InterruptedException {
    ProcessHandle target = executable == null ? process.toHandle()
        : Stream.concat(Stream.of(process.toHandle()), process.descendants())
            .filter(ProcessHandle::isAlive)
            .filter(h -> h.info().command().map(c -> Path.of(c).getFileName().toString()
                .equals(executable)).orElse(false))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no " + executable + " in the tree of "
                + this));
    Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(target.pid()))
        .inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -s " + signal + " " + target.pid() + " failed");
    }
    LOG.info("{}: SIG{} to {} (pid {})", this, signal, executable == null ? name : executable,
        target.pid());
    return target.pid();
  }

  /** Sends SIGTERM to this process only, and returns at once. */
  public void terminate() {
    process.toHandle().destroy();
  }

  /** Sends SIGKILL to this process only, and waits up to 10 s for it to be gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Waits for the exit; the exit code. */
  public int waitFor(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " still running after " + seconds + " s:\n"
          + outputText());
    }
    return process.exitValue();
  }

  /** {@link #stop(Duration)} with {@link #CLOSE_GRACE}. */
  @Override
  public void close() {
    stop(CLOSE_GRACE);
  }

  /** Stops the process and its descendants: SIGTERM, then SIGKILL after {@code grace}. */
  public void stop(Duration grace) {
    stop(grace, null);
  }

  /**
   * Stops the process and its descendants. First {@code request}, if not null, and up to
   * {@code grace} for the process to exit; then SIGTERM to it and its children, and another
   * {@code grace}; then SIGKILL to whatever is left of the tree as it was when this method was
   * called.
   */
  public void stop(Duration grace, ExitRequest request) {
    List<ProcessHandle> tree =
        Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList();
    if (tree.stream().noneMatch(ProcessHandle::isAlive)) {
      return;
    }
    try {
      if (request == null || !requestExit(request, grace)) {
        process.toHandle().children().forEach(ProcessHandle::destroy);
        process.destroy();
      }
      awaitAll(tree, grace);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      List<ProcessHandle> left = tree.stream().filter(ProcessHandle::isAlive).toList();
      if (!left.isEmpty()) {
        LOG.warn("{} left {} running after {}, killing them", this, pids(left), grace);
        left.forEach(ProcessHandle::destroyForcibly);
      }
    }
    LOG.info("{} stopped", this);
  }

  /** Returns true if the process exited within {@code grace} of the request. */
  private boolean requestExit(ExitRequest request, Duration grace) throws InterruptedException {
    try {
      request.send();
    } catch (IOException | RuntimeException e) {
      LOG.warn("{} did not take the exit request, terminating it", this, e);
      return false;
    }
    return awaitExit(grace);
  }

  private static void awaitAll(List<ProcessHandle> tree, Duration grace)
      throws InterruptedException {
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle handle : tree) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        handle.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        return;
      } catch (ExecutionException e) {
        throw new IllegalStateException("cannot watch pid " + handle.pid(), e);
      }
    }
  }

  private static List<Long> pids(List<ProcessHandle> handles) {
    List<Long> pids = new ArrayList<>();
    handles.forEach(h -> pids.add(h.pid()));
    return pids;
  }

  /** The last {@code lines} lines of {@code file}, or a note that it cannot be read. */
  public static String tail(Path file, int lines) {
    try {
      if (!Files.exists(file)) {
        return "(" + file + " does not exist)";
      }
      List<String> all = read(file).lines().toList();
      List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
      return "--- last " + last.size() + " lines of " + file + " ---\n" + String.join("\n", last);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  /** Reads a log, replacing bytes that are not UTF-8 rather than failing. */
  private static String read(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return name + "[pid=" + process.pid() + "]";
  }
}
