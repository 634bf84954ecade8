package dev.bindery.server;

import java.net.URI;

/**
 * Thread-safe. A running connection manager: the HTTP front at {@code /http-bind} and its
 * upstream connections. Start one with {@link #start(ServerConfig)}; {@link #close()} stops it.
 */
public final class Bindery implements AutoCloseable {

  private Bindery() {}

  /** Starts a connection manager and returns once it accepts requests. */
  public static Bindery start(ServerConfig config) throws Exception {
    throw new UnsupportedOperationException("not yet");
  }

  /** The port the HTTP listener is bound to. */
  public int port() {
    throw new UnsupportedOperationException("not yet");
  }

  /** The BOSH endpoint, e.g. {@code http://127.0.0.1:5280/http-bind}. */
  public URI endpoint() {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public void close() {}
}
