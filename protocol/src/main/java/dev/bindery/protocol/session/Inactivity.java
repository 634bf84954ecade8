package dev.bindery.protocol.session;

import dev.bindery.protocol.session.Action.Cancel;
import dev.bindery.protocol.session.Action.Schedule;

/**
 * Confined to its session. The inactivity period of XEP-0124 §10: it runs while no request is
 * held, from the last response on, and a pause stretches it until the next request.
 */
final class Inactivity {

  /** The negotiated period, in seconds. */
  private final int seconds;
  private final Outbox actions;
  /** The period in force, in seconds: {@link #seconds}, or a pause. */
  private int current;
  private long idleSince;
  private boolean stopped;

  Inactivity(int seconds, Outbox actions) {
    this.seconds = seconds;
    this.current = seconds;
    this.actions = actions;
  }

  /** No request is held any more: the period starts now. */
  void start(long now) {
    if (!stopped) {
      idleSince = now;
      actions.add(new Schedule(Timer.INACTIVITY, now + current * 1000L));
    }
  }

  /** A request is processed: the period stops, and a pause lasts only until then. */
  void interrupt() {
    actions.add(new Cancel(Timer.INACTIVITY));
    current = seconds;
  }

  /** §10: the client may be silent for {@code pause} seconds until its next request. */
  void pause(int pause) {
    current = pause;
  }

  /** True when the period started last ran out by {@code now}. */
  boolean expired(long now) {
    return now - idleSince >= current * 1000L;
  }

  /** The session ended: the period is never started again. */
  void stop() {
    actions.add(new Cancel(Timer.INACTIVITY));
    stopped = true;
  }
}
