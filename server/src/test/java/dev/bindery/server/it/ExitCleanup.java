package dev.bindery.server.it;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread-safe. A safety net: whatever is still registered when the JVM exits is closed by a
 * shutdown hook, newest first, so an aborted run leaves no server process behind. Tests close
 * their fixtures themselves; a fixture unregisters when it is closed.
 */
final class ExitCleanup {

  private static final Logger LOG = LoggerFactory.getLogger(ExitCleanup.class);

  private static final Set<AutoCloseable> PENDING =
      Collections.synchronizedSet(new LinkedHashSet<>());

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ExitCleanup::closeAll, "it-exit-cleanup"));
  }

  private ExitCleanup() {}

  static void register(AutoCloseable resource) {
    PENDING.add(resource);
  }

  static void unregister(AutoCloseable resource) {
    PENDING.remove(resource);
  }

  private static void closeAll() {
    List<AutoCloseable> left;
    synchronized (PENDING) {
      left = new ArrayList<>(PENDING);
    }
    Collections.reverse(left);
    for (AutoCloseable resource : left) {
      LOG.warn("closing {} at JVM exit", resource);
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("cannot close {} at JVM exit", resource, e);
      }
    }
  }
}
