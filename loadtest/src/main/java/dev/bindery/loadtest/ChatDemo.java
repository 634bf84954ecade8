package dev.bindery.loadtest;

import dev.bindery.client.BoshClient;
import dev.bindery.client.BoshClientConfig;
import dev.bindery.client.BoshException;
import dev.bindery.client.BoshTransport;
import dev.bindery.client.ChatMessage;
import dev.bindery.client.HttpBoshTransport;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Confined to the thread that calls {@link #run()}; the message listeners (on the sessions'
 * executors), the round timer (its own thread) and the Ctrl-C hook only print, send, or complete
 * a future. The classic two-user XMPP demo over BOSH: each user sends the other
 * {@code hi! Today is <date>} every few seconds and prints what it receives; on Ctrl-C (or after
 * {@code --rounds}) both log out cleanly.
 */
final class ChatDemo {

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  static final Duration LOGOUT_TIMEOUT = Duration.ofSeconds(10);
  static final int THREADS = 2;
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE MMM d yyyy HH:mm:ss", Locale.ENGLISH);

  private final DemoOptions options;
  private final PrintStream out;
  private final PrintStream err;
  /** Completes when the demo should end: Ctrl-C or the last round. */
  private final CompletableFuture<Void> stop = new CompletableFuture<>();
  private final CountDownLatch loggedOut = new CountDownLatch(1);

  ChatDemo(DemoOptions options, PrintStream out, PrintStream err) {
    this.options = options;
    this.out = out;
    this.err = err;
  }

  /** Runs the demo; returns the process exit code. */
  int run() throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS, daemonThreads("bosh"));
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(daemonThreads("demo-timer"));
    Thread hook = new Thread(this::onInterrupt, "demo-shutdown");
    try {
      BoshTransport transport = HttpBoshTransport.create(options.url(), pool);
      User first = new User(transport, pool, options.user1(), options.password1());
      User second = new User(transport, pool, options.user2(), options.password2());
      List<User> users = List.of(first, second);
      out.printf("Connecting %s and %s to %s%n", first.bareJid(), second.bareJid(), options.url());
      Runtime.getRuntime().addShutdownHook(hook);
      users.forEach(user -> user.client.connect());
      boolean online = true;
      for (User user : users) {
        online &= awaitOnline(user);
      }
      if (!online) {
        logOut(users);
        return 1;
      }
      out.printf("Both online. Each sends the other a message every %d s%s.%n",
          options.interval().toSeconds(),
          options.rounds() == 0 ? "; press Ctrl-C to log out and stop"
              : ", " + options.rounds() + (options.rounds() == 1 ? " time" : " times"));
      AtomicInteger round = new AtomicInteger();
      timer.scheduleAtFixedRate(() -> sendRound(first, second, round.incrementAndGet()),
          0, options.interval().toMillis(), TimeUnit.MILLISECONDS);
      boolean failed = awaitEnd(first, second);
      timer.shutdownNow();
      logOut(users);
      return failed ? 1 : 0;
    } finally {
      loggedOut.countDown();
      removeHook(hook);
      timer.shutdownNow();
      pool.shutdown();
    }
  }

  /** Waits until {@code user} is online; false if it failed, or Ctrl-C came first. */
  private boolean awaitOnline(User user) throws InterruptedException {
    CompletableFuture<String> online = user.client.online();
    try {
      CompletableFuture.anyOf(online, stop).get(CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (!online.isDone()) {
        return false;
      }
      out.printf("[%s] online as %s%n", user.name, online.get());
      return true;
    } catch (ExecutionException e) {
      err.printf("[%s] %s%n", user.name, explain(user, e.getCause()));
    } catch (TimeoutException e) {
      err.printf("[%s] not online after %d s; is %s a BOSH endpoint that answers?%n", user.name,
          CONNECT_TIMEOUT.toSeconds(), options.url());
    }
    return false;
  }

  /** Waits for the stop signal or for a session to end on its own; returns true for the latter. */
  private boolean awaitEnd(User first, User second) {
    try {
      CompletableFuture.anyOf(stop, first.client.closed(), second.client.closed()).join();
      if (!stop.isDone()) {
        User ended = first.client.closed().isDone() ? first : second;
        err.printf("[%s] session ended unexpectedly%n", ended.name);
        return true;
      }
      return false;
    } catch (CompletionException e) {
      User ended = first.client.closed().isCompletedExceptionally() ? first : second;
      err.printf("[%s] %s%n", ended.name, explain(ended, e.getCause()));
      return true;
    }
  }

  private void sendRound(User first, User second, int round) {
    if (stop.isDone() || (options.rounds() > 0 && round > options.rounds())) {
      return;
    }
    first.send(second);
    second.send(first);
    if (options.rounds() > 0 && round >= options.rounds()) {
      // Leave a moment for the last messages to arrive before logging out.
      CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> stop.complete(null));
    }
  }

  /**
   * Disconnects every user, and waits for those that were online to be logged out. One still
   * logging in gets its terminate request too, but a server that has not answered the login
   * is not waited for.
   */
  private void logOut(List<User> users) throws InterruptedException {
    users.forEach(user -> user.client.disconnect());
    for (User user : users) {
      if (!user.isOnline()) {
        continue;
      }
      try {
        user.client.closed().get(LOGOUT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        out.printf("[%s] logged out%n", user.name);
      } catch (ExecutionException e) {
        err.printf("[%s] session ended with an error: %s%n", user.name,
            e.getCause().getMessage());
      } catch (TimeoutException e) {
        err.printf("[%s] no answer to the terminate request after %d s%n", user.name,
            LOGOUT_TIMEOUT.toSeconds());
      }
    }
  }

  /** The Ctrl-C hook: asks {@link #run()} to log out and waits until it has. */
  private void onInterrupt() {
    out.println();
    out.println("Interrupted: logging out both users...");
    stop.complete(null);
    try {
      loggedOut.await(LOGOUT_TIMEOUT.toSeconds() * 2 + 5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down: the hook is running, which is why we are here.
    }
  }

  /** A message for a person: what went wrong and what to try. */
  String explain(User user, Throwable failure) {
    if (!(failure instanceof BoshException e)) {
      return "failed: " + failure;
    }
    return switch (e.kind()) {
      case AUTHENTICATION -> "login failed: " + e.getMessage()
          + "\n  Is " + user.bareJid() + " registered, with this password? With Prosody:"
          + "\n    prosodyctl register " + user.name + " " + options.domain() + " "
          + (user.defaultPassword ? user.password : "PASSWORD");
      case TRANSPORT -> e.getMessage()
          + "\n  Is a BOSH server listening on " + options.url() + "? --url points elsewhere.";
      case HTTP_STATUS -> e.getMessage()
          + "\n  Is " + options.url() + " the BOSH endpoint (usually ending in /http-bind)?";
      case TERMINATED -> e.getMessage() + switch (String.valueOf(e.condition())) {
        // Prosody answers an unknown 'to' with improper-addressing, not host-unknown.
        case "host-unknown", "improper-addressing" ->
            "\n  Does the server serve the domain '" + options.domain() + "'? --domain sets it.";
        case "remote-connection-failed" ->
            "\n  The connection manager could not reach its XMPP server: is that running?";
        default -> "";
      };
      case PROTOCOL -> e.getMessage();
    };
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** One of the two demo users: its client, and what it prints. */
  private final class User {
    final String name;
    final String password;
    final boolean defaultPassword;
    final BoshClient client;

    User(BoshTransport transport, ExecutorService pool, String name, String password) {
      this.name = name;
      this.password = password;
      this.defaultPassword = password.equals(DemoOptions.DEFAULT_PASSWORD1)
          || password.equals(DemoOptions.DEFAULT_PASSWORD2);
      BoshClientConfig config = BoshClientConfig.of(options.domain(), name, password);
      this.client = BoshClient.create(transport, pool, config, this::onMessage);
    }

    String bareJid() {
      return client.config().bareJid();
    }

    boolean isOnline() {
      CompletableFuture<String> online = client.online();
      return online.isDone() && !online.isCompletedExceptionally();
    }

    void send(User to) {
      String text = "hi! Today is " + LocalDateTime.now().format(DATE);
      client.sendMessage(to.bareJid(), text)
          .thenRun(() -> out.printf("[%s] sent to %s: %s%n", name, to.bareJid(), text));
    }

    private void onMessage(ChatMessage message) {
      if ("error".equals(message.type())) {
        out.printf("[%s] error reply from %s to: %s%n", name, message.from(), message.body());
      } else {
        out.printf("[%s] received from %s: %s%n", name, message.from(), message.body());
      }
    }
  }
}
