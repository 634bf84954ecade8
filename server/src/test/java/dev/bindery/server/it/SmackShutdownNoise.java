package dev.bindery.server.it;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jivesoftware.smack.SmackException.NotConnectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread-safe. Drops the log lines and thread deaths that Smack 4.4 and jbosh produce while a
 * BOSH connection is being closed, none of which says anything about the server:
 *
 * <ul>
 *   <li>a reply to an IQ (roster push, ping) that arrived during the disconnect:
 *       "Exception while sending response to IQ request" with a {@link NotConnectedException};
 *   <li>a stanza sent in the same moment: "BOSHException in sendStanzaInternal" with "Cannot
 *       send message when session is closed";
 *   <li>jbosh disposing the client a second time: "shutdown" with a NullPointerException;
 *   <li>jbosh's other receive thread, still waiting for its held request when the HTTP client
 *       is shut down, dying with "IllegalStateException: Connection is not open".
 * </ul>
 *
 * <p>Anything else passes. Public for {@code java.util.logging}, which instantiates the filter
 * named in {@code logging.properties}.
 */
public final class SmackShutdownNoise implements Filter {

  private static final Logger LOG = LoggerFactory.getLogger(SmackShutdownNoise.class);

  public SmackShutdownNoise() {}

  @Override
  public boolean isLoggable(LogRecord record) {
    Throwable thrown = record.getThrown();
    String message = record.getMessage();
    if (thrown == null || message == null) {
      return true;
    }
    boolean noise = (message.equals("Exception while sending response to IQ request")
            && thrown instanceof NotConnectedException)
        || (message.equals("BOSHException in sendStanzaInternal")
            && "Cannot send message when session is closed".equals(thrown.getMessage()))
        || (message.equals("shutdown") && thrown instanceof NullPointerException);
    return !noise;
  }

  /**
   * Installs a default uncaught-exception handler that drops jbosh's "Connection is not open"
   * at shutdown and hands everything else to the thread group, as the JVM would. Keeps a
   * handler someone else installed.
   */
  static void installUncaughtHandler() {
    if (Thread.getDefaultUncaughtExceptionHandler() != null) {
      return;
    }
    Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
      if (thread.getName().startsWith("RequestProcessor[")
          && e instanceof IllegalStateException
          && "Connection is not open".equals(e.getMessage())) {
        LOG.debug("{} ended at disconnect: {}", thread.getName(), e.toString());
        return;
      }
      thread.getThreadGroup().uncaughtException(thread, e);
    });
  }
}
