package dev.bindery.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Thread-safe. Picks TCP ports on 127.0.0.1 that nothing listens on, for servers whose config
 * file must name a port up front.
 *
 * <p>A port is free when picked; another process may still take it before the server binds it.
 * Within this JVM no port is handed out twice.
 */
public final class FreePorts {

  public static final String HOST = "127.0.0.1";

  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private FreePorts() {}

  /** Returns one free port. */
  public static int pick() {
    return pick(1)[0];
  }

  /** Returns {@code count} distinct free ports. */
  static synchronized int[] pick(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("invalid count: " + count + " (expected: >= 1)");
    }
    int[] ports = new int[count];
    try {
      pickInto(ports, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind a port on " + HOST, e);
    }
    return ports;
  }

  /** Keeps every socket bound until all ports are picked, so the kernel cannot repeat one. */
  private static void pickInto(int[] ports, int index) throws IOException {
    if (index == ports.length) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
      if (HANDED_OUT.add(socket.getLocalPort())) {
        ports[index] = socket.getLocalPort();
        pickInto(ports, index + 1);
      } else {
        pickInto(ports, index);
      }
    }
  }
}
