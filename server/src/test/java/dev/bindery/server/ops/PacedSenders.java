package dev.bindery.server.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Thread-safe. Chat traffic at a steady rate: each added client sends numbered messages to its
 * partner, {@code perSecond} a second, whether or not its stream is up at that moment (a client
 * keeps what it cannot send yet), each recorded in the {@link DeliveryLedger} first.
 */
final class PacedSenders implements AutoCloseable {

  /** A client and the partner it sends to. */
  record Route(SmBoshClient from, SmBoshClient to) {}

  private record Pair(SmBoshClient from, SmBoshClient to, AtomicLong next) {}

  /** How long a probe may take to arrive before the next is sent. */
  static final java.time.Duration PROBE_WAIT = java.time.Duration.ofMillis(500);

  private final DeliveryLedger ledger;
  private final long periodMillis;
  private final List<Pair> pairs = new ArrayList<>();
  private final java.util.function.Consumer<String> beforeSend;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "paced-senders");
    t.setDaemon(true);
    return t;
  });

  PacedSenders(DeliveryLedger ledger, int perSecond) {
    this(ledger, perSecond, body -> { });
  }

  /** As above; {@code beforeSend} gets each message's body just before it is sent. */
  PacedSenders(DeliveryLedger ledger, int perSecond,
      java.util.function.Consumer<String> beforeSend) {
    this.ledger = ledger;
    this.periodMillis = 1000 / perSecond;
    this.beforeSend = beforeSend;
  }

  /** {@code from} will send to {@code to} once started. */
  synchronized PacedSenders add(SmBoshClient from, SmBoshClient to) {
    ledger.route(from.name(), to.name());
    pairs.add(new Pair(from, to, new AtomicLong(1)));
    return this;
  }

  synchronized List<Route> routes() {
    return pairs.stream().map(p -> new Route(p.from(), p.to())).toList();
  }

  /**
   * Sends a probe on every route until one arrives, before the numbered messages start: a
   * client's initial presence goes out with its first request after logging in, and until the
   * server has it, messages to the bare JID bounce. A loss counted is then one of the fault.
   * Probes are numbered from {@code firstAttempt}, so that a later call's do not repeat them.
   *
   * @throws AssertionError naming the route when none of {@code attempts} probes arrived
   */
  void awaitRoutes(int firstAttempt, int attempts) throws InterruptedException {
    for (Route r : routes()) {
      boolean arrived = false;
      for (int attempt = firstAttempt; attempt < firstAttempt + attempts && !arrived; attempt++) {
        String probe = DeliveryLedger.probe(r.from().name(), r.to().name(), attempt);
        r.from().message(r.to().bareJid(), probe);
        arrived = ledger.awaitProbe(probe, PROBE_WAIT);
      }
      if (!arrived) {
        throw new AssertionError("no probe from " + r.from() + " reached " + r.to() + "; "
            + r.from().problems);
      }
    }
  }

  /** Starts every sender, staggered over one period so that they do not send in bursts. */
  synchronized void start() {
    for (int i = 0; i < pairs.size(); i++) {
      Pair p = pairs.get(i);
      timer.scheduleAtFixedRate(() -> sendNext(p), periodMillis * i / pairs.size(),
          periodMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void sendNext(Pair p) {
    long n = p.next().getAndIncrement();
    ledger.sent(p.from().name(), p.to().name(), n);
    String body = DeliveryLedger.body(p.from().name(), n);
    beforeSend.accept(body);
    p.from().message(p.to().bareJid(), body);
  }

  /** Stops sending; returns once no send is under way. */
  @Override
  public void close() throws InterruptedException {
    timer.shutdownNow();
    if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
      throw new IllegalStateException("a sender is still running after 5 s");
    }
  }
}
