package dev.bindery.server;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import dev.bindery.server.config.LogConfig;
import java.net.URL;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Not thread-safe: called once by {@link Main} before the server starts. Applies the configured
 * log level, format and wire logging to Logback by reloading {@code logback.xml} with them as
 * properties ({@code BINDERY_LOG_LEVEL}, {@code BINDERY_LOG_FORMAT}, {@code BINDERY_WIRE_LOG}).
 */
final class LogSetup {

  private LogSetup() {}

  static void apply(LogConfig log) {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!(factory instanceof LoggerContext context)) {
      return; // another SLF4J binding: its own configuration rules
    }
    URL xml = LogSetup.class.getResource("/logback.xml");
    if (xml == null || System.getProperty("logback.configurationFile") != null) {
      return; // the operator brought their own file
    }
    context.reset();
    context.putProperty("BINDERY_LOG_LEVEL", log.level());
    context.putProperty("BINDERY_LOG_FORMAT", log.format());
    context.putProperty("BINDERY_WIRE_LOG", log.wire() ? "TRACE" : "OFF");
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(xml);
    } catch (JoranException e) {
      System.err.println("bindery: cannot configure logging: " + e.getMessage());
    }
  }
}
