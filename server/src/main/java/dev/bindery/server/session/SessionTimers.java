package dev.bindery.server.session;

import dev.bindery.protocol.session.Timer;
import io.netty.channel.EventLoop;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Confined to its session's event loop. The session's timers (a few: one {@code wait} per held
 * request, and inactivity) kept as deadlines behind a single scheduled wake-up at the earliest.
 *
 * <p>A request usually sets a deadline later than the earliest and cancels one before it is due,
 * so most requests cost an array update here instead of a task added to and removed from the
 * event loop's scheduling queue; a cancelled deadline's wake-up finds nothing due and goes back
 * to sleep until the next.
 */
final class SessionTimers {

  private final EventLoop loop;
  private final LongSupplier clock;
  private final Consumer<Timer> fire;
  private Timer[] timers = new Timer[3];
  private long[] deadlines = new long[3];
  private int size;
  private ScheduledFuture<?> wakeUp;
  private long wakeUpAt = Long.MAX_VALUE;

  /**
   * @param clock milliseconds, the clock deadlines are given in
   * @param fire  called on the event loop for each timer whose deadline has come, earliest first
   */
  SessionTimers(EventLoop loop, LongSupplier clock, Consumer<Timer> fire) {
    this.loop = loop;
    this.clock = clock;
    this.fire = fire;
  }

  /** Sets {@code timer} to fire at {@code at}, replacing its previous deadline. */
  void schedule(Timer timer, long at) {
    remove(timer);
    if (size == timers.length) {
      timers = Arrays.copyOf(timers, size * 2);
      deadlines = Arrays.copyOf(deadlines, size * 2);
    }
    timers[size] = timer;
    deadlines[size] = at;
    size++;
    if (at < wakeUpAt) {
      wakeUpAt(at);
    }
  }

  /** Forgets {@code timer}; it will not fire. */
  void cancel(Timer timer) {
    remove(timer);
  }

  /** Forgets every timer and the wake-up. */
  void cancelAll() {
    Arrays.fill(timers, 0, size, null);
    size = 0;
    if (wakeUp != null) {
      wakeUp.cancel(false);
      wakeUp = null;
    }
    wakeUpAt = Long.MAX_VALUE;
  }

  /** How many timers are set. */
  int size() {
    return size;
  }

  private void wakeUpAt(long at) {
    if (wakeUp != null) {
      wakeUp.cancel(false);
    }
    wakeUpAt = at;
    wakeUp = loop.schedule(this::wake, Math.max(0, at - clock.getAsLong()), TimeUnit.MILLISECONDS);
  }

  private void wake() {
    wakeUp = null;
    wakeUpAt = Long.MAX_VALUE;
    // a fired timer may set or cancel others: look again after each
    for (int due = earliestDue(clock.getAsLong()); due >= 0; due = earliestDue(clock.getAsLong())) {
      Timer timer = timers[due];
      remove(timer);
      fire.accept(timer);
    }
    int next = earliest();
    if (next >= 0 && deadlines[next] < wakeUpAt) {
      wakeUpAt(deadlines[next]);
    }
  }

  private int earliestDue(long now) {
    int earliest = earliest();
    return earliest >= 0 && deadlines[earliest] <= now ? earliest : -1;
  }

  private int earliest() {
    int earliest = -1;
    for (int i = 0; i < size; i++) {
      if (earliest < 0 || deadlines[i] < deadlines[earliest]) {
        earliest = i;
      }
    }
    return earliest;
  }

  private void remove(Timer timer) {
    for (int i = 0; i < size; i++) {
      if (timers[i].equals(timer)) {
        size--;
        timers[i] = timers[size];
        deadlines[i] = deadlines[size];
        timers[size] = null;
        return;
      }
    }
  }
}
