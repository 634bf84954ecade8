package dev.bindery.server;

import dev.bindery.server.config.ConfigSource;
import dev.bindery.server.config.ServerConfig;
import dev.bindery.server.reload.ReloadSignal;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executable: {@code java -jar bindery.jar [options]}; see {@code --help}. On SIGTERM or
 * SIGINT it drains (see {@link Bindery#drain()}) and then stops; on SIGHUP it reloads its
 * configuration from the same file, environment and flags (see {@link Bindery#reload()}).
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    ConfigSource source;
    ServerConfig config;
    try {
      Arguments arguments = Arguments.parse(args);
      switch (arguments.action) {
        case HELP -> {
          System.out.print(Arguments.usage());
          return;
        }
        case VERSION -> {
          System.out.println(Arguments.command().getCommandSpec().version()[0]);
          return;
        }
        case COMPLETION -> {
          System.out.print(Arguments.completionScript());
          return;
        }
        case RUN -> { }
      }
      source = () -> arguments.config(System.getenv());
      config = source.load();
    } catch (IllegalArgumentException e) {
      System.err.println("bindery: " + e.getMessage());
      System.err.println("Try --help; every key is in docs/configuration.md.");
      System.exit(2);
      return;
    }
    LogSetup.apply(config.log());
    Logger log = LoggerFactory.getLogger(Main.class);
    Bindery bindery;
    try {
      bindery = Bindery.start(config, source);
    } catch (Exception e) {
      log.error("cannot start: {}", e.getMessage(), e);
      System.exit(1);
      return;
    }
    ReloadSignal.install(bindery::reload);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("stop requested: draining");
      bindery.drain();
      bindery.close();
      stopped.countDown();
    }, "bindery-shutdown"));
    stopped.await();
  }
}
