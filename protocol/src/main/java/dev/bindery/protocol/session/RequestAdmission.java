package dev.bindery.protocol.session;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.protocol.session.Action.Respond;
import dev.bindery.protocol.session.Event.RequestArrived;
import dev.bindery.protocol.session.Lifecycle.Phase;

/**
 * Confined to its session. Decides whether and when a request is processed: it must come over
 * HTTPS if the session did (XEP-0124 §19) and carry a rid (§6); it is put in rid order, a repeat
 * is answered again or replaces its held copy, a rid too far ahead ends the session (§14); too
 * many requests, or empty ones too fast, are a policy violation (§11, §12); a broken key sequence
 * ends the session (§15). The requests whose turn has come go to the {@link RequestProcessor}.
 */
final class RequestAdmission {

  private final RequestWindow window;
  private final ActivityMonitor activity;
  private final KeySequence keys;
  private final Acknowledgements acks;
  private final HeldRequests held;
  private final Lifecycle lifecycle;
  private final RequestProcessor processor;
  private final int maxRepeatedRids;
  private final Outbox actions;
  /** True for a session created over HTTPS (§19). */
  private boolean secure;
  private long repeatedRid = -1;
  private int repeats;

  /** @param newkey the creation request's {@code newkey}, or null (§15) */
  RequestAdmission(RequestWindow window, ActivityMonitor activity, String newkey,
      Acknowledgements acks, HeldRequests held, Lifecycle lifecycle, RequestProcessor processor,
      SessionLimits limits, Outbox actions) {
    this.window = window;
    this.activity = activity;
    this.keys = new KeySequence(newkey);
    this.acks = acks;
    this.held = held;
    this.lifecycle = lifecycle;
    this.processor = processor;
    this.maxRepeatedRids = limits.maxRepeatedRids();
    this.actions = actions;
  }

  /** §19: a session created over HTTPS accepts later requests only over HTTPS. */
  void requireSecure(boolean secure) {
    this.secure = secure;
  }

  /** Handles a request to a session that has not ended. */
  void admit(RequestArrived r) {
    if (secure && !r.secure()) {
      // §19: close the connection, keep the session: a forged request must not end it
      actions.add(new Action.Drop(r.requestId()));
      return;
    }
    var rid = r.body().rid();
    if (rid.isEmpty()) {
      // §6: every request MUST carry a valid rid
      lifecycle.abort(r.requestId(), BindingCondition.BAD_REQUEST);
      return;
    }
    if (lifecycle.phase() == Phase.TERMINATING) {
      lifecycle.answerTerminal(r.requestId());
      return;
    }
    long id = rid.getAsLong();
    RequestWindow.Position position = window.locate(id);
    if ((position == RequestWindow.Position.NEXT || position == RequestWindow.Position.EARLY)
        && !window.isHeldBack(id) && overactive(r)) {
      lifecycle.abort(r.requestId(), BindingCondition.POLICY_VIOLATION);
      return;
    }
    switch (position) {
      case NEXT -> {
        window.advance();
        process(r);
        for (RequestArrived next = window.takeNext();
            next != null && lifecycle.phase() != Phase.ENDED; next = window.takeNext()) {
          window.advance();
          process(next);
        }
      }
      case EARLY -> {
        RequestArrived replaced = window.holdBack(id, r);
        if (replaced != null) {
          actions.add(new Respond(replaced.requestId(), recoverableError()));
          if (repeated(id)) {
            // r itself is the offender: it learns policy-violation, not other-request
            window.release(id);
            lifecycle.abort(r.requestId(), BindingCondition.POLICY_VIOLATION);
          }
        }
      }
      case REPEAT -> onRepeat(r, id);
      // §14.2: a rid beyond the window terminates the session
      case BEYOND -> lifecycle.abort(r.requestId(), BindingCondition.ITEM_NOT_FOUND);
    }
  }

  /** §11: too many unanswered requests, or empty ones too fast. */
  private boolean overactive(RequestArrived r) {
    Body b = r.body();
    boolean pauseOrTerminate = b.isTerminate() || b.has(BodyAttribute.PAUSE);
    // "the last request was empty": the last of the sequence, by rid. An empty request that
    // overtook the payload sent after it is no sign of polling too fast.
    boolean lastOfSequenceEmpty = isEmpty(b) && !window.hasHeldBackAfter(b.rid().getAsLong());
    return activity.overactive(lastOfSequenceEmpty, pauseOrTerminate, r.now());
  }

  /**
   * Empty in the sense of §11, §12 and §16.4: no payload, and not asking for anything either (no
   * restart, terminate, pause or added stream).
   */
  static boolean isEmpty(Body b) {
    return b.payloads().isEmpty() && !b.isRestart() && !b.isTerminate()
        && !b.has(BodyAttribute.PAUSE) && !b.has(BodyAttribute.TO);
  }

  /** §14.3: a rid seen before. */
  private void onRepeat(RequestArrived r, long rid) {
    if (repeated(rid)) {
      lifecycle.abort(r.requestId(), BindingCondition.POLICY_VIOLATION);
      return;
    }
    Body buffered = acks.buffered(rid);
    if (buffered != null) {
      actions.add(new Respond(r.requestId(), buffered));
      return;
    }
    // the older request learns of a recoverable error; the newer one takes its place
    if (held.replace(rid, r.requestId(), recoverableError(), r.now())) {
      return;
    }
    lifecycle.abort(r.requestId(), BindingCondition.ITEM_NOT_FOUND);
  }

  /** Counts one more repeat of {@code rid}; true when over the limit (§14.3). */
  private boolean repeated(long rid) {
    if (rid != repeatedRid) {
      repeatedRid = rid;
      repeats = 0;
    }
    return ++repeats > maxRepeatedRids;
  }

  /** A request whose turn has come, in rid order: checked for its key and pace, then processed. */
  private void process(RequestArrived r) {
    Body body = r.body();
    if (!keys.accept(body.attribute(BodyAttribute.KEY).orElse(null),
        body.attribute(BodyAttribute.NEWKEY).orElse(null))) {
      // §15: MUST NOT process the element, MUST terminate with item-not-found
      lifecycle.abort(r.requestId(), BindingCondition.ITEM_NOT_FOUND);
      return;
    }
    if (activity.pollingTooFast(isEmpty(body), r.now())) {
      lifecycle.abort(r.requestId(), BindingCondition.POLICY_VIOLATION); // §12
      return;
    }
    processor.process(r);
  }

  /** §17.3: the client should resend this and any earlier unanswered request. */
  private static Body recoverableError() {
    return Body.builder().attribute(BodyAttribute.TYPE, "error").build();
  }
}
