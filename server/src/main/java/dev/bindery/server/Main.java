package dev.bindery.server;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The executable: {@code java -jar bindery.jar [options]}; see {@code --help}. */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    CommandLine commandLine;
    try {
      commandLine = CommandLine.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bindery: " + e.getMessage());
      System.err.println("Try --help.");
      System.exit(2);
      return;
    }
    if (commandLine.help) {
      System.out.print(CommandLine.USAGE);
      return;
    }
    Bindery bindery;
    try {
      bindery = Bindery.start(commandLine.config);
    } catch (Exception e) {
      LOG.error("cannot start: {}", e.getMessage(), e);
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      bindery.close();
      stopped.countDown();
    }, "bindery-shutdown"));
    stopped.await();
  }
}
