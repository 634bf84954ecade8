package dev.bindery.server.admin;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Thread-safe: two flags. Whether this node should get new sessions: ready once started, not
 * ready from the moment it starts draining. {@code /health/ready} reports it.
 */
public final class Readiness {

  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean draining = new AtomicBoolean();

  /** The node accepts sessions. */
  public void started() {
    started.set(true);
  }

  /** The node drains; returns false if it already was. */
  public boolean startDraining() {
    return draining.compareAndSet(false, true);
  }

  public boolean draining() {
    return draining.get();
  }

  public boolean ready() {
    return started.get() && !draining.get();
  }
}
