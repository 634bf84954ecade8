package dev.bindery.server.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Thread-safe. A TCP relay on a loopback port between Bindery and an XMPP server's
 * client-to-server port that keeps every byte each side wrote, per connection: what the server
 * wrote is what Bindery had to relay to the session's client.
 *
 * <p>Plain TCP only (Bindery's route to the server must not use TLS). Each connection is relayed
 * by two threads, one per direction, which write on what they read at once.
 */
final class UpstreamTap implements AutoCloseable {

  /** One relayed TCP connection. Thread-safe. */
  static final class Connection {
    private final long openedNanos = System.nanoTime();
    private final ByteArrayOutputStream fromServer = new ByteArrayOutputStream();
    private final ByteArrayOutputStream toServer = new ByteArrayOutputStream();

    /** Everything the server wrote so far, as UTF-8 text. */
    String fromServer() {
      synchronized (fromServer) {
        return fromServer.toString(StandardCharsets.UTF_8);
      }
    }

    /** Everything Bindery wrote to the server so far, as UTF-8 text. */
    String toServer() {
      synchronized (toServer) {
        return toServer.toString(StandardCharsets.UTF_8);
      }
    }

    long openedNanos() {
      return openedNanos;
    }
  }

  private final ServerSocket listener;
  private final InetSocketAddress server;
  private final List<Connection> connections = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  private UpstreamTap(ServerSocket listener, InetSocketAddress server) {
    this.listener = listener;
    this.server = server;
  }

  /** Starts relaying connections to {@code host:port}. */
  static UpstreamTap start(String host, int port) throws IOException {
    ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    UpstreamTap tap = new UpstreamTap(listener, new InetSocketAddress(host, port));
    Thread accepting = new Thread(tap::accept, "upstream-tap-accept");
    accepting.setDaemon(true);
    accepting.start();
    return tap;
  }

  String host() {
    return listener.getInetAddress().getHostAddress();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** The connections so far, in the order they were accepted. */
  List<Connection> connections() {
    return new ArrayList<>(connections);
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket upstream = new Socket();
        upstream.connect(server, 5_000);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(upstream);
        Connection connection = new Connection();
        connections.add(connection);
        pump(upstream, client, connection.fromServer, "upstream-tap-from-server");
        pump(client, upstream, connection.toServer, "upstream-tap-to-server");
      } catch (IOException e) {
        if (!listener.isClosed()) {
          // the accepted connection is lost; Bindery sees it closed and reports that
          continue;
        }
      }
    }
  }

  private static void pump(Socket from, Socket to, ByteArrayOutputStream record, String name) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          synchronized (record) {
            record.write(buffer, 0, n);
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side closed or reset: close the other as well, below
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    sockets.forEach(UpstreamTap::closeQuietly);
  }
}
