package dev.bindery.server.it;

import java.io.IOException;
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
 * Thread-safe. A process this JVM started, its stdout and stderr going to one file.
 *
 * <p>{@link #stop} ends it and the processes it started, and nothing else: signals go only to
 * handles taken from this process's own tree.
 */
public final class ChildProcess {

  private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);

  /** What a short command printed, and how it exited. */
  public record Result(int exitCode, String output) {}

  /** A polite request to exit, e.g. {@code ejabberdctl stop}. */
  interface ExitRequest {
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

  private static ChildProcess spawn(String name, List<String> command, Path workDir,
      Map<String, String> env, Path output) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(workDir.toFile())
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

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Returns true if the process exited within {@code timeout}. Also serves as a polling pause. */
  boolean awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  int exitValue() {
    return process.exitValue();
  }

  Path output() {
    return output;
  }

  /** Stops the process and its descendants: SIGTERM, then SIGKILL after {@code grace}. */
  void stop(Duration grace) {
    stop(grace, null);
  }

  /**
   * Stops the process and its descendants. First {@code request}, if not null, and up to
   * {@code grace} for the process to exit; then SIGTERM to it and its children, and another
   * {@code grace}; then SIGKILL to whatever is left of the tree as it was when this method was
   * called.
   */
  void stop(Duration grace, ExitRequest request) {
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
  static String tail(Path file, int lines) {
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
