package dev.bindery.protocol.session;

/** Immutable. A timer a session asks for with {@link Action.Schedule}; it comes back as {@link Event.TimerFired}. */
public sealed interface Timer {

  /** The {@code wait} of one held request (XEP-0124 §8) ran out. */
  record Wait(long requestId) implements Timer {}

  /** The session has been without a pending request for {@code inactivity} seconds (§10). */
  record Inactivity() implements Timer {}

  Inactivity INACTIVITY = new Inactivity();
}
