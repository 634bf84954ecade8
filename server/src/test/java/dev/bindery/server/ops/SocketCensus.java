package dev.bindery.server.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Immutable. The TCP sockets one process holds, read from {@code /proc}: its descriptors'
 * socket inodes matched against {@code /proc/net/tcp} and {@code tcp6}. A fault test tells apart
 * what a node should have let go of (connections to the XMPP server) from what a client may
 * rightly keep open (idle HTTP keep-alive connections to the node's port).
 *
 * @param toPort   sockets whose remote port is the one asked about (e.g. the server's c2s)
 * @param fromPort sockets whose local port is the one asked about (e.g. the node's HTTP port),
 *                 not counting the listening socket
 */
record SocketCensus(int toPort, int fromPort) {

  private static final String LISTEN = "0A";

  /** The sockets of process {@code pid} connected to {@code remotePort} or on {@code localPort}. */
  static SocketCensus of(long pid, int remotePort, int localPort) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException e) {
          // closed while listing: not held any more
        }
      }
    }
    int to = 0;
    int from = 0;
    for (String table : List.of("tcp", "tcp6")) {
      Path file = Path.of("/proc", Long.toString(pid), "net", table);
      if (!Files.exists(file)) {
        continue;
      }
      for (String line : Files.readAllLines(file)) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 10 || !inodes.contains(f[9])) {
          continue;
        }
        if (port(f[2]) == remotePort) {
          to++;
        } else if (port(f[1]) == localPort && !f[3].equals(LISTEN)) {
          from++;
        }
      }
    }
    return new SocketCensus(to, from);
  }

  private static int port(String address) {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1), 16);
  }
}
