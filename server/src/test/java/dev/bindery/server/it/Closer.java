package dev.bindery.server.it;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Thread-safe. Closes what was registered, newest first, so that a server started before a
 * later step failed is still stopped. The first failure is thrown, the others added to it as
 * suppressed.
 */
final class Closer {

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();

  /** Registers {@code resource} and returns it. */
  synchronized <C extends AutoCloseable> C register(C resource) {
    resources.push(resource);
    return resource;
  }

  /** Closes everything registered so far, newest first. */
  void close() throws Exception {
    Exception failure = null;
    while (true) {
      AutoCloseable resource;
      synchronized (this) {
        resource = resources.poll();
      }
      if (resource == null) {
        break;
      }
      try {
        resource.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
