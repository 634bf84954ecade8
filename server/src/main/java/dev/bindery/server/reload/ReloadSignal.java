package dev.bindery.server.reload;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stateless. Reloads the configuration on SIGHUP, the Unix convention for daemons (systemd's
 * {@code ExecReload=/bin/kill -HUP $MAINPID}). The handler replaces the JVM's own, which would
 * otherwise stop the process on SIGHUP. It needs {@code sun.misc.Signal} (module {@code
 * jdk.unsupported}), reached by reflection so that the build has no reference to an internal
 * API (javac warns about every such reference, and main code compiles with warnings as errors);
 * where that or the signal is missing, or the JVM runs with {@code -Xrs}, reloading stays
 * possible with {@code POST /reload} on the admin listener.
 */
public final class ReloadSignal {

  private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);

  private ReloadSignal() {}

  /** Runs {@code reload} on every SIGHUP from now on; false when signals cannot be handled. */
  public static boolean install(Runnable reload) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Object hangUp = signal.getConstructor(String.class).newInstance("HUP");
      Object onHangUp = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler},
          (proxy, method, args) -> dispatch(proxy, method, args, reload));
      signal.getMethod("handle", signal, handler).invoke(null, hangUp, onHangUp);
      return true;
    } catch (InvocationTargetException e) {
      return unavailable(e.getCause()); // the JVM refused the signal (-Xrs, or in use)
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return unavailable(e);
    }
  }

  /** The handler's one method, {@code handle(Signal)}, and the methods of {@code Object}. */
  private static Object dispatch(Object proxy, Method method, Object[] args, Runnable reload) {
    switch (method.getName()) {
      case "handle" -> reload(reload);
      case "equals" -> {
        return proxy == args[0];
      }
      case "hashCode" -> {
        return System.identityHashCode(proxy);
      }
      case "toString" -> {
        return "SIGHUP reload";
      }
      default -> throw new UnsupportedOperationException(method.toString());
    }
    return null;
  }

  private static void reload(Runnable reload) {
    LOG.info("SIGHUP: reloading the configuration");
    try {
      reload.run();
    } catch (IllegalArgumentException e) {
      // an invalid configuration: logged and counted by the reload, nothing changed
    } catch (RuntimeException e) {
      LOG.error("reload on SIGHUP failed", e);
    }
  }

  private static boolean unavailable(Throwable why) {
    LOG.warn("SIGHUP cannot be handled here ({}); reload with POST /reload on the admin"
        + " listener", String.valueOf(why));
    return false;
  }
}
