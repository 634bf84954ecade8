package dev.bindery.loadtest;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * Confined to the main thread. The entry point of {@code bindery-loadtest.jar}: picks a command.
 *
 * <p>It touches no logger before the options are read, so that {@code --wire} can still set the
 * logging levels.
 */
public final class Main {

  static final String USAGE = """
      usage: java -jar bindery-loadtest.jar <command> [options]

      commands:
        demo      two users chat over BOSH every 5 s until Ctrl-C ('demo --help' for options)
        --help    this text

      The load generator (thousands of concurrent BOSH sessions) is not here yet; this jar
      holds the asynchronous BOSH client it will drive, and the demo built on it.
      """;

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
    if (args.length == 0) {
      err.print(USAGE);
      return 2;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "--help", "-h", "help" -> {
        out.print(USAGE);
        return 0;
      }
      case "demo" -> {
        return demo(rest, out, err);
      }
      default -> {
        err.println("unknown command: " + args[0]);
        err.print(USAGE);
        return 2;
      }
    }
  }

  private static int demo(String[] args, PrintStream out, PrintStream err)
      throws InterruptedException {
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.print(DemoOptions.USAGE);
      return 2;
    }
    if (options == null) {
      out.print(DemoOptions.USAGE);
      return 0;
    }
    if (options.wire()) {
      System.setProperty("bindery.wire.level", "TRACE");
    }
    return new ChatDemo(options, out, err).run();
  }
}
