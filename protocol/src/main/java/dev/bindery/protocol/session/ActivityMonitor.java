package dev.bindery.protocol.session;

/**
 * Confined to its session. Watches how fast and how many new requests a client sends: too many
 * unanswered requests (XEP-0124 §11) or polling more often than {@code polling} allows (§11, §12)
 * is a {@code policy-violation}.
 */
final class ActivityMonitor {

  private final int requests;
  private final long pollingMillis;
  private final boolean pollingSession;

  /** New requests received since the connection manager last responded. */
  private int unanswered;
  /** True while every one of those requests was empty. */
  private boolean allEmpty = true;
  private long lastArrival = Long.MIN_VALUE;
  /** For polling sessions (§12): the previous new request, and whether its answer was empty. */
  private boolean previousEmpty;
  private long previousArrival = Long.MIN_VALUE;
  private boolean previousAnsweredEmpty;

  ActivityMonitor(int requests, int pollingSeconds, boolean pollingSession) {
    this.requests = requests;
    this.pollingMillis = pollingSeconds * 1000L;
    this.pollingSession = pollingSession;
  }

  /**
   * A new request (not a repeat) arrived. Returns true when it breaks §11: more than
   * {@code requests} unanswered (one more for pause or terminate), or {@code requests} unanswered
   * requests, all empty, the last two faster than {@code polling}. The spec asks only that the
   * last be empty; requiring all of them keeps a payload followed by a wait request legal.
   */
  boolean overactive(boolean empty, boolean pauseOrTerminate, long now) {
    unanswered++;
    allEmpty &= empty;
    long sincePrevious = lastArrival == Long.MIN_VALUE ? Long.MAX_VALUE : now - lastArrival;
    lastArrival = now;
    if (unanswered > requests + 1 || (unanswered > requests && !pauseOrTerminate)) {
      return true;
    }
    // Only a run of empty requests is polling: a payload followed at once by an empty request
    // to wait on is how clients such as Smack's jbosh keep a request held after sending.
    return !pollingSession && unanswered == requests && requests > 1 && allEmpty
        && !pauseOrTerminate && sincePrevious < pollingMillis;
  }

  /**
   * A polling session's request is processed (§12): true when it and the previous one are both
   * empty, came within {@code polling}, and the previous one's answer carried no payload.
   */
  boolean pollingTooFast(boolean empty, long arrival) {
    boolean tooFast = pollingSession && empty && previousEmpty && previousAnsweredEmpty
        && previousArrival != Long.MIN_VALUE && arrival - previousArrival < pollingMillis;
    previousEmpty = empty;
    previousArrival = arrival;
    previousAnsweredEmpty = false;
    return tooFast;
  }

  /** The connection manager answered a request; {@code empty} when it carried no payload. */
  void answered(boolean empty) {
    unanswered = 0;
    allEmpty = true;
    previousAnsweredEmpty = empty;
  }
}
