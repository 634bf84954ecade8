package dev.bindery.server.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Thread-safe. A dnsmasq run as a child process: a DNS server on 127.0.0.1 at a free port that
 * answers only the records a test gives it ({@code srv-host}, {@code host-record}), with no
 * upstream servers, no hosts file and no DHCP.
 */
final class DnsmasqServer implements AutoCloseable {

  static final Duration START_TIMEOUT = Duration.ofSeconds(15);
  static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final Path dir;
  private final int port;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile ChildProcess process;

  private DnsmasqServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** An SRV record: {@code --srv-host=NAME,TARGET,PORT,PRIORITY,WEIGHT}. */
  static String srv(String name, String target, int port, int priority, int weight) {
    return "--srv-host=" + name + "," + target + "," + port + "," + priority + "," + weight;
  }

  /** An A record: {@code --host-record=NAME,ADDRESS}. */
  static String host(String name, String address) {
    return "--host-record=" + name + "," + address;
  }

  /** Starts dnsmasq answering {@code records} (see {@link #srv}, {@link #host}). */
  static DnsmasqServer start(List<String> records) throws IOException, InterruptedException {
    DnsmasqServer server = new DnsmasqServer(ScratchDir.create("dnsmasq"), FreePorts.pick());
    try {
      server.launch(records);
      return server;
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private void launch(List<String> records) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("dnsmasq", "--keep-in-foreground",
        "--port=" + port, "--listen-address=" + FreePorts.HOST, "--bind-interfaces",
        "--no-resolv", "--no-hosts", "--no-poll", "--pid-file=", "--conf-file=/dev/null",
        "--log-facility=-", "--log-queries"));
    command.addAll(records);
    process = ChildProcess.start("dnsmasq", command, dir, Map.of(), dir.resolve("dnsmasq.log"));
    StreamProbe.awaitAccepting(FreePorts.HOST, port, process, START_TIMEOUT);
  }

  /** Where to send queries. */
  InetSocketAddress address() {
    return new InetSocketAddress(FreePorts.HOST, port);
  }

  /** What dnsmasq logged, queries included. */
  String log() {
    return ChildProcess.tail(dir.resolve("dnsmasq.log"), 200);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (process != null) {
      process.stop(STOP_GRACE);
    }
    ScratchDir.delete(dir);
  }
}
