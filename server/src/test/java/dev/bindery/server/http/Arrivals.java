package dev.bindery.server.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.bindery.server.session.SessionRunner;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * Thread-safe. Tells a test when a request has reached its session's event loop: listens for
 * {@link SessionRunner}'s {@code sid=… rid=… request} DEBUG line, logged on the loop just before
 * the session sees the request. A request posted after that is handled after it, whatever the
 * HTTP connections do, so a test can order requests that carry nothing observable upstream.
 */
final class Arrivals implements AutoCloseable {

  private final Logger logger = (Logger) LoggerFactory.getLogger(SessionRunner.class);
  private final Level level;
  private final boolean additive;
  private final Set<String> seen = new HashSet<>();
  private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent event) {
      Object[] args = event.getArgumentArray();
      if (event.getMessage().equals("sid={} rid={} request") && args != null && args.length == 2) {
        synchronized (Arrivals.this) {
          seen.add(args[0] + "/" + args[1]);
          Arrivals.this.notifyAll();
        }
      }
    }
  };

  Arrivals() {
    level = logger.getLevel();
    additive = logger.isAdditive();
    appender.setContext(logger.getLoggerContext());
    appender.start();
    logger.addAppender(appender);
    logger.setAdditive(false); // the test's console stays quiet
    logger.setLevel(Level.DEBUG);
  }

  /** Waits until the request {@code rid} of session {@code sid} has reached the session. */
  synchronized void await(String sid, long rid) throws InterruptedException {
    String key = sid + "/" + rid;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!seen.contains(key)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("request " + rid + " never reached session " + sid);
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  @Override
  public void close() {
    logger.setLevel(level);
    logger.setAdditive(additive);
    logger.detachAppender(appender);
    appender.stop();
  }
}
