package dev.bindery.server.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Thread-safe: every method is synchronized. Which numbered messages were sent and which
 * arrived, per route (sender to receiver). A message's body is {@code SENDER#N}, N counting from
 * 1 per sender; a receiver sees a number twice when a resent stanza had arrived already, so
 * arrivals are de-duplicated, and the duplicates counted. Probes, sent before the numbered
 * messages to check that a route delivers, are kept apart.
 */
final class DeliveryLedger {

  /** A sender and its receiver, by client name. */
  record Route(String from, String to) {}

  /** What happened on some routes. {@code missing}: the first few numbers never delivered. */
  record Figures(long sent, long delivered, long duplicates, List<String> missing) {
    long lost() {
      return sent - delivered;
    }
  }

  private static final int MISSING_SHOWN = 10;

  private static final class Tally {
    long sent;
    final BitSet arrived = new BitSet();
    long duplicates;
  }

  private final Map<Route, Tally> routes = new LinkedHashMap<>();
  private final java.util.Set<String> probes = new java.util.HashSet<>();
  private long strays;

  /** The body of message {@code n} from {@code from}. */
  static String body(String from, long n) {
    return from + "#" + n;
  }

  /** The body of a probe, which checks a route before the numbered messages start. */
  static String probe(String from, String to, int attempt) {
    return "probe " + from + " " + to + " " + attempt;
  }

  /** {@code from} will send to {@code to}: the route counts from now on, before its first send. */
  synchronized void route(String from, String to) {
    routes.computeIfAbsent(new Route(from, to), r -> new Tally());
  }

  /** {@code from} is about to send its message {@code n} to {@code to}. */
  synchronized void sent(String from, String to, long n) {
    Tally t = routes.computeIfAbsent(new Route(from, to), r -> new Tally());
    t.sent = Math.max(t.sent, n);
  }

  /** {@code to} received a message with {@code body}. */
  synchronized void received(String to, String body) {
    if (body.startsWith("probe ")) {
      probes.add(body);
      notifyAll();
      return;
    }
    int hash = body.lastIndexOf('#');
    Tally t = hash < 0 ? null : routes.get(new Route(body.substring(0, hash), to));
    if (t == null) {
      strays++;
      return;
    }
    int n = Integer.parseInt(body.substring(hash + 1));
    if (t.arrived.get(n)) {
      t.duplicates++;
    } else {
      t.arrived.set(n);
    }
    notifyAll();
  }

  /** Waits until the probe with this body has arrived. */
  synchronized boolean awaitProbe(String body, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!probes.contains(body)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** Messages that named no route this ledger knows. */
  synchronized long strays() {
    return strays;
  }

  synchronized Figures figures(Predicate<Route> which) {
    long sent = 0;
    long delivered = 0;
    long duplicates = 0;
    List<String> missing = new ArrayList<>();
    for (Map.Entry<Route, Tally> e : routes.entrySet()) {
      if (!which.test(e.getKey())) {
        continue;
      }
      Tally t = e.getValue();
      sent += t.sent;
      delivered += t.arrived.cardinality();
      duplicates += t.duplicates;
      for (int n = t.arrived.nextClearBit(1); n <= t.sent && missing.size() < MISSING_SHOWN;
          n = t.arrived.nextClearBit(n + 1)) {
        missing.add(body(e.getKey().from(), n));
      }
    }
    return new Figures(sent, delivered, duplicates, missing);
  }

  /** How many messages each route had sent so far: a mark between phases of a test. */
  synchronized Map<Route, Long> mark() {
    Map<Route, Long> sent = new LinkedHashMap<>();
    routes.forEach((r, t) -> sent.put(r, t.sent));
    return sent;
  }

  /**
   * The figures of the messages sent after mark {@code from} and up to mark {@code to} (null:
   * up to now) on the routes {@code which} accepts.
   */
  synchronized Figures figures(Predicate<Route> which, Map<Route, Long> from,
      Map<Route, Long> to) {
    long sent = 0;
    long delivered = 0;
    List<String> missing = new ArrayList<>();
    for (Map.Entry<Route, Tally> e : routes.entrySet()) {
      if (!which.test(e.getKey())) {
        continue;
      }
      Tally t = e.getValue();
      long first = from.getOrDefault(e.getKey(), 0L) + 1;
      long last = to == null ? t.sent : to.getOrDefault(e.getKey(), 0L);
      for (long n = first; n <= last; n++) {
        sent++;
        if (t.arrived.get((int) n)) {
          delivered++;
        } else if (missing.size() < MISSING_SHOWN) {
          missing.add(body(e.getKey().from(), n));
        }
      }
    }
    return new Figures(sent, delivered, 0, missing);
  }

  /**
   * Waits until each route {@code which} accepts has delivered {@code more} messages beyond what
   * it had sent when called: the chat is flowing, and what was sent before has arrived.
   */
  synchronized boolean awaitFlowing(Predicate<Route> which, int more, Duration timeout)
      throws InterruptedException {
    Map<Tally, Long> targets = new java.util.HashMap<>();
    routes.forEach((r, t) -> {
      if (which.test(r)) {
        targets.put(t, t.sent + more);
      }
    });
    if (targets.isEmpty()) {
      throw new IllegalStateException("no route to wait for");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (targets.entrySet().stream()
        .anyMatch(e -> e.getKey().arrived.cardinality() < e.getValue())) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** Waits until every message sent on the routes {@code which} accepts has arrived. */
  synchronized boolean awaitDelivered(Predicate<Route> which, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (figures(which).lost() > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }
}
