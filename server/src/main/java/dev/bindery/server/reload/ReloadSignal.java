package dev.bindery.server.reload;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stateless. Reloads the configuration on SIGHUP, the Unix convention for daemons (systemd's
 * {@code ExecReload=/bin/kill -HUP $MAINPID}). The handler replaces the JVM's own, which would
 * otherwise stop the process on SIGHUP. It needs {@code sun.misc.Signal} (module {@code
 * jdk.unsupported}); where that or the signal is missing, or the JVM runs with {@code -Xrs},
 * reloading stays possible with {@code POST /reload} on the admin listener.
 */
public final class ReloadSignal {

  private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);

  private ReloadSignal() {}

  /** Runs {@code reload} on every SIGHUP from now on; false when signals cannot be handled. */
  public static boolean install(Runnable reload) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
        LOG.info("SIGHUP: reloading the configuration");
        try {
          reload.run();
        } catch (IllegalArgumentException e) {
          // an invalid configuration: logged and counted by the reload, nothing changed
        } catch (RuntimeException e) {
          LOG.error("reload on SIGHUP failed", e);
        }
      });
      return true;
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      LOG.warn("SIGHUP cannot be handled here ({}); reload with POST /reload on the admin"
          + " listener", e.toString());
      return false;
    }
  }
}
