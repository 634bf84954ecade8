package dev.bindery.loadtest;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
        run       the load generator: thousands of BOSH users chat, idle or log in and out
                  ('run --help' for options)
        soak      a long chat beside a login/logout churn, the node sampled each minute, then
                  compared with its baseline ('soak --help' for options); exits 1 if it is
                  not back to its baseline or a message was lost
        demo      two users chat over BOSH every 5 s until Ctrl-C ('demo --help' for options)
        generate-completion
                  a bash/zsh completion script for both commands
        --help    this text
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
      case "run" -> {
        return load(rest, out, err);
      }
      case "soak" -> {
        return soak(rest, out, err);
      }
      case "generate-completion" -> {
        out.print(completionScript());
        return 0;
      }
      default -> {
        err.println("unknown command: " + args[0]);
        err.print(USAGE);
        return 2;
      }
    }
  }

  /** Completion for {@code bindery-loadtest run|soak|demo}, from the commands' own flags. */
  static String completionScript() {
    picocli.CommandLine top = new picocli.CommandLine(
        picocli.CommandLine.Model.CommandSpec.create().name("bindery-loadtest"));
    top.addSubcommand("run", LoadOptions.command());
    top.addSubcommand("soak", SoakOptions.command());
    top.addSubcommand("demo", DemoOptions.command());
    return picocli.AutoComplete.bash("bindery-loadtest", top);
  }

  private static int load(String[] args, PrintStream out, PrintStream err)
      throws InterruptedException {
    LoadOptions options;
    try {
      options = LoadOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.print(LoadOptions.usage());
      return 2;
    }
    if (options == null) {
      out.print(LoadOptions.usage());
      return 0;
    }
    LoadRun run = new LoadRun(options, err);
    return whileStoppable(run::requestStop, LoadRun.LOGOUT_TIMEOUT.plusSeconds(10), err, () -> {
      run.warmUp();
      Report report = run.run();
      if (options.json() != null) {
        Files.writeString(options.json(), ReportJson.write(report));
      }
      if (options.html() != null) {
        Files.writeString(options.html(), ReportHtml.write(report));
      }
      out.print(Summary.of(report));
      out.flush();
      return 0;
    });
  }

  private static int soak(String[] args, PrintStream out, PrintStream err)
      throws InterruptedException {
    SoakOptions options;
    try {
      options = SoakOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.print(SoakOptions.usage());
      return 2;
    }
    if (options == null) {
      out.print(SoakOptions.usage());
      return 0;
    }
    SoakRun run = new SoakRun(options, err);
    Duration grace = LoadRun.LOGOUT_TIMEOUT.plus(options.settle()).plusSeconds(30);
    return whileStoppable(run::requestStop, grace, err, () -> {
      SoakReport report = run.run();
      if (options.json() != null) {
        Files.writeString(options.json(), SoakReportJson.write(report));
      }
      if (options.html() != null) {
        Files.writeString(options.html(), SoakReportHtml.write(report));
      }
      for (SoakReport.Check c : report.checks()) {
        out.printf("%-17s baseline %-12s after %-16s allowed %-10s %s%n", c.what(),
            c.baseline(), c.after(), c.allowed(), c.passed() ? "ok" : "FAILED");
      }
      out.println(report.passed() ? "soak: back to baseline, nothing lost"
          : "soak: NOT back to baseline, or messages lost");
      out.flush();
      return report.passed() ? 0 : 1;
    });
  }

  /** A command's work, which writes its reports and returns the exit status. */
  private interface Work {
    int run() throws IOException, InterruptedException;
  }

  /**
   * Runs {@code work} so that Ctrl-C (SIGINT, SIGTERM) calls {@code stop} (log everyone out)
   * and holds the JVM's exit up to {@code grace} for the reports to be written.
   */
  private static int whileStoppable(Runnable stop, Duration grace, PrintStream err, Work work)
      throws InterruptedException {
    CountDownLatch reported = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.run();
      try {
        reported.await(grace.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "loadtest-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    int status;
    try {
      status = work.run();
    } catch (IOException e) {
      err.println("cannot write the report: " + e.getMessage());
      return 1;
    } finally {
      reported.countDown();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Already shutting down (Ctrl-C): the hook has what it waited for.
    }
    return status;
  }

  private static int demo(String[] args, PrintStream out, PrintStream err)
      throws InterruptedException {
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.print(DemoOptions.usage());
      return 2;
    }
    if (options == null) {
      out.print(DemoOptions.usage());
      return 0;
    }
    if (options.wire()) {
      System.setProperty("bindery.wire.level", "TRACE");
    }
    return new ChatDemo(options, out, err).run();
  }
}
