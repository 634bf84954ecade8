package dev.bindery.server.it;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * Thread-safe. A real XMPP server this JVM started for a test, its client-to-server listener on
 * a loopback port with plain (unencrypted) connections and SASL PLAIN allowed.
 */
public interface XmppServer extends AutoCloseable {

  /** Address of the client-to-server listener: {@code 127.0.0.1}. */
  String host();

  /** Port of the client-to-server listener. */
  int c2sPort();

  /** The one XMPP domain the server hosts, e.g. {@code localhost}. */
  String domain();

  /** The server's own BOSH endpoint, or {@code null} when it was started without one. */
  URI boshUrl();

  /** The server's log file. */
  Path logFile();

  /** Creates an account {@code username@domain()}. */
  void register(String username, String password) throws IOException, InterruptedException;

  /**
   * Sends {@code signal} ({@code KILL}, {@code STOP}, {@code CONT}) by PID to the server's own
   * process: Prosody, or ejabberd's Erlang VM ({@code beam.smp}). For fault tests; a killed
   * server comes back with {@link #restart}. Returns the PID signalled.
   */
  long signal(String signal) throws IOException, InterruptedException;

  /**
   * Starts the server again, on the same ports, accounts and data directory, once its process
   * has died (e.g. after {@code signal("KILL")}); returns once it offers stream features.
   */
  void restart() throws IOException, InterruptedException;

  /** Stops the server process and deletes its data directory. Idempotent. */
  @Override
  void close();
}
