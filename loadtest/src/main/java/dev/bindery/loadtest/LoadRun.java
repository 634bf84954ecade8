package dev.bindery.loadtest;

import dev.bindery.client.BoshClient;
import dev.bindery.client.BoshClientConfig;
import dev.bindery.client.ChatMessage;
import dev.bindery.client.EventLoopTransport;
import dev.bindery.client.H2cBoshTransport;
import dev.bindery.client.NettyBoshTransport;
import dev.bindery.loadtest.LoadOptions.Scenario;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.HdrHistogram.Histogram;

/**
 * Thread-safe: the calling thread runs the phases, a reporting thread paces arrivals and takes
 * the per-second snapshots, and each simulated user lives on one event loop. One load run:
 *
 * <pre>
 *   RAMP --all settled--> STEADY --duration--> DRAIN (chat) --> LOGOUT --> DONE
 *   login-storm: STEADY (arrivals all along) --duration--> LOGOUT --> DONE
 * </pre>
 */
final class LoadRun {

  enum Phase { RAMP, STEADY, DRAIN, LOGOUT, DONE }

  static final Duration TICK = Duration.ofSeconds(1);
  static final long ARRIVAL_TICK_MILLIS = 5;
  /** Extra time for the last sessions to log in after the last arrival. */
  static final Duration SETTLE_MARGIN = Duration.ofSeconds(60);
  static final int WARMUP_SESSIONS = 100;
  static final double WARMUP_ARRIVAL_RATE = 50;
  static final double WARMUP_LOGIN_RATE = 100;
  static final double WARMUP_MESSAGE_RATE = 2;
  static final Duration LOGOUT_TIMEOUT = Duration.ofSeconds(20);

  private final LoadOptions options;
  private final PrintStream err;
  private final LoadMetrics metrics = new LoadMetrics();
  private final ProcessMonitor monitor;
  private final List<Report.Tick> ticks = new ArrayList<>();
  private final AtomicReferenceArray<SimUser> users;
  private final ConcurrentLinkedQueue<Integer> freeSlots = new ConcurrentLinkedQueue<>();
  private final CountDownLatch stop = new CountDownLatch(1);
  private final boolean terminal = System.console() != null;

  private volatile Phase phase = Phase.RAMP;
  /** The warm-up run while it goes on. */
  private volatile LoadRun warming;
  private volatile boolean sending = true;
  private volatile boolean arriving = true;
  private long startNanos;
  private long arrivalsStarted;
  private long arrivalsSkipped;
  private Map<String, ProcessMonitor.Sample> lastSample = Map.of();
  private long lastSampleNanos;

  private EventLoopGroup group;
  private EventLoopTransport transport;

  LoadRun(LoadOptions options, PrintStream err) {
    this.options = options;
    this.err = err;
    this.monitor = new ProcessMonitor(options.monitors());
    this.users = new AtomicReferenceArray<>(options.sessions());
  }

  /** Where the run is now. */
  Phase phase() {
    return phase;
  }

  /**
   * Counts so far, read while the run goes on.
   *
   * @param sent      messages sent
   * @param delivered messages delivered
   * @param logins    sessions that came online
   * @param failed    sessions that failed to come online, or ended on their own
   * @param online    sessions online now
   */
  record Progress(long sent, long delivered, long logins, long failed, int online) {}

  Progress progress() {
    return new Progress(metrics.messagesSent.sum(), metrics.messagesDelivered.sum(),
        metrics.logins.sum(), metrics.sessionsFailed.sum() + metrics.sessionsDropped.sum(),
        metrics.online.get());
  }

  /** Asks a running run to skip to logging out (e.g. on Ctrl-C). */
  void requestStop() {
    stop.countDown();
    LoadRun warm = warming;
    if (warm != null) {
      warm.requestStop();
    }
  }

  /**
   * Warms up this JVM and the server under test before anything is measured, with results thrown
   * away: a third of the time logins and logouts (so session setup is compiled code when the
   * ramp starts), then a chat among a few users. Both are JIT-compiled programs (or caches)
   * whose first seconds say nothing about their steady state.
   */
  void warmUp() throws InterruptedException {
    if (options.warmup().isZero()) {
      return;
    }
    int n = Math.max(2, Math.min(WARMUP_SESSIONS, options.sessions()));
    Duration logins = options.warmup().dividedBy(3);
    Report storm = warmUpWith(n, WARMUP_LOGIN_RATE, 0, logins, Scenario.LOGIN_STORM);
    Report chat = warmUpWith(n, WARMUP_ARRIVAL_RATE, WARMUP_MESSAGE_RATE,
        options.warmup().minus(logins), Scenario.CHAT);
    if (storm != null && chat != null) {
      err.printf("[%s] warm-up: %d logins, %d messages delivered of %d%n", options.label(),
          storm.sessions().logins() + chat.sessions().logins(), chat.messages().delivered(),
          chat.messages().sent());
    }
  }

  /** One unmeasured run; null if the run was stopped before it began. */
  private Report warmUpWith(int sessions, double arrivalRate, double messageRate,
      Duration duration, Scenario scenario) throws InterruptedException {
    LoadOptions warm = new LoadOptions(options.url(), options.domain(), options.route(),
        options.userPattern(), options.firstUser(), options.password(), sessions,
        arrivalRate, messageRate, duration, scenario,
        options.waitSeconds(), Duration.ofSeconds(2), Duration.ZERO, options.sourceAddresses(),
        options.threads(), "warm-up", null, null, Map.of(), List.of(), Duration.ZERO,
        options.http(), options.h2Connections());
    LoadRun run = new LoadRun(warm, new PrintStream(OutputStream.nullOutputStream()));
    warming = run;
    if (stop.getCount() == 0) {
      return null;
    }
    Report report = run.run();
    warming = null;
    return report;
  }

  /** Runs all phases and returns the result. */
  Report run() throws InterruptedException {
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    group = new MultiThreadIoEventLoopGroup(options.threads(),
        new DefaultThreadFactory("loadtest-io", true), io);
    Bootstrap bootstrap = new Bootstrap().group(group)
        .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class);
    EventLoopTransport.Observer observer = new EventLoopTransport.Observer() {
      @Override
      public void onRoundTrip(String requestBody, long nanos) {
        metrics.requests.increment();
        metrics.record(LoadMetrics.Kind.ROUND_TRIP, nanos);
        if (!isEmptyPoll(requestBody)) {
          metrics.record(LoadMetrics.Kind.ROUND_TRIP_PAYLOAD, nanos);
        }
      }

      @Override
      public void onConnectionOpened() {
        metrics.connections.increment();
      }
    };
    transport = switch (options.http()) {
      case HTTP_1_1 -> new NettyBoshTransport(options.url(), options.sourceAddresses(),
          bootstrap, observer);
      case HTTP_2 -> new H2cBoshTransport(options.url(), options.sourceAddresses(), bootstrap,
          observer, options.h2Connections());
    };
    for (int i = 0; i < options.sessions(); i++) {
      freeSlots.add(i);
    }
    Map<String, Long> heapBefore = measureHeaps();
    Instant startedAt = Instant.now();
    ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(
        new DefaultThreadFactory("loadtest-report", true));
    startNanos = System.nanoTime();
    lastSample = monitor.sample();
    lastSampleNanos = startNanos;
    reporter.scheduleAtFixedRate(this::arrive, 0, ARRIVAL_TICK_MILLIS, TimeUnit.MILLISECONDS);
    reporter.scheduleAtFixedRate(this::tick, TICK.toMillis(), TICK.toMillis(),
        TimeUnit.MILLISECONDS);

    Report.Steady steady;
    Map<String, Long> heapSteady = Map.of();
    int onlineAtHeap = 0;
    if (options.scenario() == Scenario.LOGIN_STORM) {
      phase = Phase.STEADY;
      Window window = Window.open(this);
      stop.await(options.duration().toNanos(), TimeUnit.NANOSECONDS);
      arriving = false;
      steady = window.close(this);
    } else {
      awaitSettled();
      arriving = false;
      phase = Phase.STEADY;
      Window window = Window.open(this);
      stop.await(options.duration().toNanos(), TimeUnit.NANOSECONDS);
      steady = window.close(this);
      sending = false;
      if (options.scenario() == Scenario.CHAT) {
        phase = Phase.DRAIN;
        awaitDrained();
      }
      onlineAtHeap = metrics.online.get();
      heapSteady = measureHeaps();
    }
    phase = Phase.LOGOUT;
    logoutAll();
    phase = Phase.DONE;
    reporter.shutdown();
    reporter.awaitTermination(10, TimeUnit.SECONDS);
    tick();
    if (terminal) {
      err.println();
    }
    transport.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    return Report.of(options, startedAt, epoll ? "netty-epoll" : "netty-nio", metrics, ticks,
        steady, heapBefore, heapSteady, onlineAtHeap, arrivalsSkipped);
  }

  /** CPU and message counts over the steady phase. */
  private record Window(long nanos, Map<String, ProcessMonitor.Sample> cpu, long sent,
      long delivered, long logins) {

    static Window open(LoadRun run) {
      return new Window(System.nanoTime(), run.monitor.sample(),
          run.metrics.messagesSent.sum(), run.metrics.messagesDelivered.sum(),
          run.metrics.logins.sum());
    }

    Report.Steady close(LoadRun run) {
      Map<String, ProcessMonitor.Sample> end = run.monitor.sample();
      Map<String, Double> cpuSeconds = new LinkedHashMap<>();
      cpu.forEach((name, before) -> {
        ProcessMonitor.Sample after = end.get(name);
        if (before.cpuNanos() >= 0 && after != null && after.cpuNanos() >= 0) {
          cpuSeconds.put(name, (after.cpuNanos() - before.cpuNanos()) / 1e9);
        }
      });
      Map<String, Long> rss = new LinkedHashMap<>();
      end.forEach((name, s) -> rss.put(name, s.rssBytes()));
      return new Report.Steady((System.nanoTime() - nanos) / 1e9,
          run.metrics.messagesSent.sum() - sent,
          run.metrics.messagesDelivered.sum() - delivered,
          run.metrics.logins.sum() - logins, run.metrics.online.get(), cpuSeconds, rss);
    }
  }

  private void awaitSettled() throws InterruptedException {
    long rampNanos = (long) (options.sessions() / options.arrivalRate() * 1e9);
    long deadline = System.nanoTime() + rampNanos + SETTLE_MARGIN.toNanos();
    while (System.nanoTime() < deadline && stop.getCount() > 0) {
      long settled = metrics.sessionsFailed.sum() + metrics.online.get()
          + metrics.sessionsDropped.sum();
      if (metrics.sessionsStarted.sum() >= options.sessions() && settled >= options.sessions()) {
        return;
      }
      stop.await(50, TimeUnit.MILLISECONDS);
    }
  }

  private void awaitDrained() throws InterruptedException {
    long deadline = System.nanoTime() + options.drain().toNanos();
    while (System.nanoTime() < deadline && stop.getCount() > 0) {
      long accounted = metrics.messagesDelivered.sum() + metrics.messagesBounced.sum();
      if (accounted >= metrics.messagesSent.sum()) {
        return;
      }
      stop.await(50, TimeUnit.MILLISECONDS);
    }
  }

  private void logoutAll() throws InterruptedException {
    List<SimUser> open = new ArrayList<>();
    for (int i = 0; i < users.length(); i++) {
      SimUser u = users.get(i);
      if (u != null && !u.client.closed().isDone()) {
        open.add(u);
      }
    }
    CountDownLatch closed = new CountDownLatch(open.size());
    for (SimUser u : open) {
      u.loggingOut = true;
      u.client.disconnect().whenComplete((v, e) -> closed.countDown());
    }
    if (!closed.await(LOGOUT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      metrics.error("logout:timeout");
    }
  }

  private Map<String, Long> measureHeaps() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String name : options.jvmMonitors()) {
      out.put(name, ProcessMonitor.heapUsedAfterGc(options.monitors().get(name)));
    }
    return out;
  }

  /** Reporting thread: starts the sessions that are due. */
  private void arrive() {
    if (!arriving) {
      return;
    }
    long limit = options.scenario() == Scenario.LOGIN_STORM ? Long.MAX_VALUE : options.sessions();
    long due = Pacing.dueArrivals(System.nanoTime() - startNanos, options.arrivalRate(), limit);
    while (arrivalsStarted < due) {
      arrivalsStarted++;
      Integer slot = freeSlots.poll();
      if (slot == null) {
        arrivalsSkipped++;
        continue;
      }
      startUser(slot);
    }
  }

  private void startUser(int index) {
    EventLoop loop = group.next();
    EventLoopTransport.Session session = transport.newSession(loop);
    BoshClientConfig config = new BoshClientConfig(options.domain(), options.user(index),
        options.password(index), null, BoshClientConfig.DEFAULT_LANG, options.waitSeconds(),
        BoshClientConfig.DEFAULT_HOLD, options.route());
    SimUser user = new SimUser(index, config.bareJid(), session);
    user.client = BoshClient.create(session, loop, config, message -> onMessage(message));
    users.set(index, user);
    metrics.sessionsStarted.increment();
    user.startNanos = System.nanoTime();
    user.client.connect().whenComplete((jid, error) -> {
      if (error != null) {
        if (user.loggingOut) {
          metrics.error("logout/aborted-setup");
        } else {
          metrics.sessionsFailed.increment();
          metrics.error(error);
        }
        return;
      }
      metrics.record(LoadMetrics.Kind.SETUP, System.nanoTime() - user.startNanos);
      user.online = true;
      metrics.sessionOnline();
      switch (options.scenario()) {
        case CHAT -> {
          if (options.messageRate() > 0) {
            scheduleMessage(user);
          }
        }
        case IDLE -> { }
        case LOGIN_STORM -> loop.schedule(() -> {
          user.loggingOut = true;
          user.client.disconnect();
        }, options.linger().toNanos(), TimeUnit.NANOSECONDS);
      }
    });
    user.client.closed().whenComplete((v, error) -> {
      if (user.online) {
        user.online = false;
        metrics.sessionOffline();
        if (error == null) {
          metrics.logouts.increment();
        } else if (user.loggingOut) {
          metrics.error("logout/" + LoadMetrics.errorKey(error));
        } else {
          metrics.sessionsDropped.increment();
          metrics.error(error);
        }
      }
      session.close();
      if (users.compareAndSet(index, user, null) && arriving
          && options.scenario() == Scenario.LOGIN_STORM) {
        freeSlots.add(index);
      }
    });
  }

  private void scheduleMessage(SimUser user) {
    double u = 1.0 - ThreadLocalRandom.current().nextDouble();
    long delay = Pacing.nextMessageDelayNanos(options.messageRate(), u);
    user.session.loop().schedule(() -> sendMessage(user), delay, TimeUnit.NANOSECONDS);
  }

  private void sendMessage(SimUser user) {
    if (!sending || !user.online) {
      return;
    }
    SimUser to = randomOnlinePeer(user.index);
    if (to == null) {
      metrics.messagesUnaddressable.increment();
    } else {
      long sequence = ++user.sequence;
      String body = Pacing.stampedBody(System.nanoTime(), sequence);
      user.client.sendMessage(to.bareJid, body).whenComplete((v, e) -> {
        if (e == null) {
          metrics.messagesSent.increment();
        }
      });
    }
    scheduleMessage(user);
  }

  private SimUser randomOnlinePeer(int self) {
    int n = users.length();
    if (n < 2) {
      return null;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 16; attempt++) {
      int j = random.nextInt(n - 1);
      if (j >= self) {
        j++;
      }
      SimUser peer = users.get(j);
      if (peer != null && peer.online) {
        return peer;
      }
    }
    return null;
  }

  private void onMessage(ChatMessage message) {
    if ("error".equals(message.type())) {
      metrics.messagesBounced.increment();
      metrics.error("message:bounced");
      return;
    }
    long stamp = Pacing.stampOf(message.body());
    if (stamp < 0) {
      return;
    }
    metrics.messagesDelivered.increment();
    metrics.record(LoadMetrics.Kind.LATENCY, System.nanoTime() - stamp);
  }

  /** An empty request with only rid, sid and xmlns: the one a connection manager holds. */
  static boolean isEmptyPoll(String requestBody) {
    return requestBody.endsWith("/>") && requestBody.indexOf(" to=") < 0
        && requestBody.indexOf(" type=") < 0;
  }

  /** Reporting thread: one line of progress and one point of the timeline per second. */
  private void tick() {
    long now = System.nanoTime();
    Phase p = phase;
    Map<LoadMetrics.Kind, Histogram> interval = metrics.snapshot(p == Phase.STEADY);
    Map<String, ProcessMonitor.Sample> sample = monitor.sample();
    Map<String, Double> cpuPercent = new LinkedHashMap<>();
    Map<String, Long> rss = new LinkedHashMap<>();
    double seconds = (now - lastSampleNanos) / 1e9;
    sample.forEach((name, s) -> {
      ProcessMonitor.Sample before = lastSample.get(name);
      if (before != null && before.cpuNanos() >= 0 && s.cpuNanos() >= 0 && seconds > 0) {
        cpuPercent.put(name, (s.cpuNanos() - before.cpuNanos()) / 1e9 / seconds * 100);
      }
      rss.put(name, s.rssBytes());
    });
    lastSample = sample;
    lastSampleNanos = now;
    Report.Tick tick = Report.Tick.of((now - startNanos) / 1e9, p.name().toLowerCase(),
        metrics, interval, cpuPercent, rss, ticks.isEmpty() ? null : ticks.get(ticks.size() - 1));
    ticks.add(tick);
    String line = progressLine(tick);
    if (terminal) {
      err.print("\r" + line + "   ");
    } else if (ticks.size() % 5 == 0 || p == Phase.DONE) {
      err.println(line);
    }
    err.flush();
  }

  private String progressLine(Report.Tick t) {
    StringBuilder s = new StringBuilder();
    s.append(String.format("[%s] %-6s %4.0fs online %d/%d", options.label(), t.phase(), t.t(),
        t.online(), options.sessions()));
    s.append(String.format(" failed %d | setup p50 %.1f p99 %.1f ms", t.failedTotal(),
        t.setupP50(), t.setupP99()));
    if (options.scenario() == Scenario.CHAT) {
      s.append(String.format(" | msgs %d/%d lat p99 %.2f ms", t.deliveredTotal(), t.sentTotal(),
          t.latencyP99()));
    } else if (options.scenario() == Scenario.LOGIN_STORM) {
      s.append(String.format(" | logins %d/s", t.logins()));
    }
    s.append(String.format(" | %d req/s | err %d", t.requests(), t.errorsTotal()));
    t.cpuPercent().forEach((name, pct) -> s.append(String.format(" | %s %.0f%%", name, pct)));
    return s.toString();
  }

  /** Confined to its event loop, except the volatile flags. One simulated user. */
  private static final class SimUser {
    final int index;
    final String bareJid;
    final EventLoopTransport.Session session;
    BoshClient client;
    long startNanos;
    long sequence;
    volatile boolean online;
    volatile boolean loggingOut;

    SimUser(int index, String bareJid, EventLoopTransport.Session session) {
      this.index = index;
      this.bareJid = bareJid;
      this.session = session;
    }
  }
}
