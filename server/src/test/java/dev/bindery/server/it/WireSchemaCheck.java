package dev.bindery.server.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.bindery.protocol.testing.BodySchema;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * Thread-safe: events arrive on Bindery's servlet and event-loop threads. Validates every body
 * Bindery sends to a client against the XEP-0124 schema, for tests where a client library
 * consumes the bodies: while installed, it turns the {@code dev.bindery.wire} logger to TRACE
 * and checks the body of each {@code "client={} response: {}"} event (logged by
 * {@code ServletExchange} before any compression).
 *
 * <p>The logger is made non-additive while installed, so that the console appender does not
 * start printing wire payloads; {@link #close} restores its level and additivity. Bodies are
 * only kept, never printed, and only the invalid ones.
 */
final class WireSchemaCheck extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  static final String WIRE_LOGGER = "dev.bindery.wire";

  /** {@code ServletExchange}'s message pattern for a response body; the body is its last argument. */
  static final String RESPONSE_PATTERN = "client={} response: {}";

  /** An invalid body, with the schema's complaint. */
  record Invalid(String body, String reason) {}

  private final Logger wire;
  private final Level savedLevel;
  private final boolean savedAdditive;
  private final AtomicInteger validated = new AtomicInteger();
  private final ConcurrentLinkedQueue<Invalid> invalid = new ConcurrentLinkedQueue<>();

  private WireSchemaCheck(Logger wire) {
    this.wire = wire;
    this.savedLevel = wire.getLevel();
    this.savedAdditive = wire.isAdditive();
  }

  /** Starts checking the bodies logged from now on, until {@link #close}. */
  static WireSchemaCheck install() {
    if (!(LoggerFactory.getLogger(WIRE_LOGGER) instanceof Logger wire)) {
      throw new IllegalStateException("SLF4J is not bound to Logback: "
          + LoggerFactory.getILoggerFactory().getClass().getName());
    }
    WireSchemaCheck check = new WireSchemaCheck(wire);
    check.setContext(wire.getLoggerContext());
    check.setName("wire-schema-check");
    check.start();
    wire.setAdditive(false);
    wire.addAppender(check);
    wire.setLevel(Level.TRACE);
    return check;
  }

  @Override
  protected void append(ILoggingEvent event) {
    Object[] args = event.getArgumentArray();
    if (!RESPONSE_PATTERN.equals(event.getMessage()) || args == null || args.length != 2) {
      return; // a request or an upstream line
    }
    String body = String.valueOf(args[1]);
    try {
      BodySchema.assertValid(body);
      validated.incrementAndGet();
    } catch (AssertionError e) {
      invalid.add(new Invalid(body, String.valueOf(e.getCause())));
    }
  }

  /** How many response bodies were valid so far. */
  int validated() {
    return validated.get();
  }

  /** The invalid response bodies so far. */
  List<Invalid> invalid() {
    return List.copyOf(invalid);
  }

  /** Restores the wire logger's level and additivity; counts and failures are kept. */
  @Override
  public void close() {
    wire.setLevel(savedLevel);
    wire.detachAppender(this);
    wire.setAdditive(savedAdditive);
    stop();
  }
}
