package dev.bindery.protocol.session;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.protocol.session.Action.OpenUpstream;
import dev.bindery.protocol.session.Action.Respond;
import dev.bindery.protocol.session.Event.RequestArrived;
import dev.bindery.protocol.session.Event.TimerFired;
import dev.bindery.protocol.session.Lifecycle.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Confined to the session's event loop. One BOSH session (XEP-0124 with XEP-0206) as a state
 * machine: events in, actions out, no I/O, no clock (time comes with each event).
 *
 * <pre>
 *            start()             UpstreamOpened
 *  (new) ─────────────▶ OPENING ───────────────▶ OPEN
 *                          │                      │
 *                          │ the server side      │ the server side failed,
 *                          │ failed               │ no request held to tell the client
 *                          ▼                      ▼
 *                       TERMINATING ◀─────────────┘   (the next request gets the condition)
 *                          │
 *   client terminate,      ▼
 *   inactivity, a     ─▶ ENDED  (EndSession: the runner forgets the session)
 *   terminal condition
 * </pre>
 *
 * <p>Requests are processed in rid order whatever order they arrive in ({@link RequestWindow});
 * each processed request is held until the server has something for the client, its {@code wait}
 * runs out, or more than {@code hold} requests are held; held requests are answered oldest first,
 * so responses go out in rid order too. A session may carry several XMPP streams (§16), each a
 * {@link SessionStream}; a body never mixes the payloads of two streams.
 */
public final class BoshSession {

  private final String sid;
  private final CreationRequest creation;
  private final StreamPolicy policy;
  private final SessionLimits limits;
  private final int wait;
  private final int hold;
  private final int requests;
  private final Inactivity inactivity;
  private final RequestWindow window;
  private final Acknowledgements acks;
  private final ActivityMonitor activity;
  private final KeySequence keys;
  private final HeldRequests held;
  private final Lifecycle lifecycle;
  private final UpstreamEvents upstream;
  private final RequestProcessor processor;
  private final SessionStreams streams = new SessionStreams();

  private boolean secure;
  private long repeatedRid = -1;
  private int repeats;
  private final List<Action> actions = new ArrayList<>();

  /**
   * A session for a validated creation request serving only {@code domain}; nothing happens until
   * {@link #start}.
   */
  public BoshSession(String sid, CreationRequest creation, String domain, SessionLimits limits) {
    this(sid, creation, domain, limits, StreamPolicy.serving(Set.of(domain)));
  }

  /**
   * @param sid    an unpredictable session id, unique within the connection manager (§7.2)
   * @param domain the served domain the client asked for (its {@code to}), the stream's {@code to}
   * @param policy the domains further streams may go to, and their names (§16)
   */
  public BoshSession(String sid, CreationRequest creation, String domain, SessionLimits limits,
      StreamPolicy policy) {
    this.sid = sid;
    this.creation = creation;
    this.policy = policy;
    this.limits = limits;
    this.wait = Math.min(creation.waitSeconds(), limits.maxWait());
    this.hold = Math.min(creation.hold(), limits.maxHold());
    this.requests = hold + 1;
    boolean polling = hold == 0 || wait == 0;
    int inactivitySeconds = polling ? limits.pollingInactivity() : limits.inactivity();
    this.inactivity = new Inactivity(inactivitySeconds, actions);
    this.window = new RequestWindow(creation.rid(), requests);
    this.acks = new Acknowledgements(creation.acks(), creation.rid(), requests, limits);
    this.activity = new ActivityMonitor(requests, limits.polling(), polling);
    this.keys = new KeySequence(creation.newkey());
    SessionStream first = streams.add(policy.newStreamName(), domain, creation.from(),
        creation.xmppVersion(), creation.lang());
    this.held = new HeldRequests(wait, hold, CreationResponse.attributes(sid, creation, domain,
        first.name, wait, hold, inactivitySeconds, limits), streams, window, acks, activity,
        inactivity, actions);
    this.lifecycle = new Lifecycle(streams, held, window, inactivity, actions);
    this.upstream = new UpstreamEvents(streams, held, lifecycle, actions);
    this.processor = new RequestProcessor(creation, policy, limits, streams, held, lifecycle,
        acks, inactivity, actions);
  }

  public String sid() {
    return sid;
  }

  /** The negotiated {@code wait}, in seconds. */
  public int waitSeconds() {
    return wait;
  }

  /** The negotiated {@code hold}. */
  public int hold() {
    return hold;
  }

  /** True for a client that sent no {@code ver}: its conditions become HTTP codes (§17.1). */
  public boolean legacy() {
    return creation.legacy();
  }

  /** The Content-Type of every response in the session (§7.1), or null for the default. */
  public String contentType() {
    return creation.content();
  }

  public boolean ended() {
    return lifecycle.phase() == Phase.ENDED;
  }

  /** Number of requests held now. */
  public int heldCount() {
    return held.size();
  }

  /** Number of elements from the server waiting for the client, over all streams. */
  public int bufferedCount() {
    return streams.buffered();
  }

  /** Opens the upstream stream and holds the creation request until the server's features come. */
  public List<Action> start(long requestId, long now) {
    return start(requestId, false, now);
  }

  /**
   * Like {@link #start(long, long)}; a session created over HTTPS accepts later requests only over
   * HTTPS (§19).
   */
  public List<Action> start(long requestId, boolean secure, long now) {
    if (lifecycle.phase() != Phase.OPENING || held.started()) {
      throw new IllegalStateException("session already started: " + sid);
    }
    this.secure = secure;
    actions.add(new OpenUpstream(0, streams.first().header));
    held.hold(requestId, creation.rid(), -1, now);
    return takeActions();
  }

  /** Handles one event and returns what to do about it, in order. */
  public List<Action> on(Event event) {
    if (lifecycle.phase() == Phase.ENDED) {
      if (event instanceof RequestArrived r) {
        lifecycle.refuse(r.requestId());
      }
      return takeActions();
    }
    if (lifecycle.phase() == Phase.TERMINATING
        && !(event instanceof RequestArrived) && !(event instanceof TimerFired)) {
      return takeActions(); // the server side already failed: later news must not replace why
    }
    if (event instanceof RequestArrived r) {
      onRequest(r);
    } else if (event instanceof TimerFired t) {
      onTimer(t);
    } else if (event instanceof Event.Shutdown s) {
      lifecycle.shutdown(s.condition(), s.now());
    } else {
      upstream.on(event);
    }
    return takeActions();
  }

  // ---- requests ------------------------------------------------------------------------------

  private void onRequest(RequestArrived r) {
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

  /** Empty in the sense of §11 and §12: no payload, and not asking for anything either. */
  private static boolean isEmpty(Body b) {
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
    return ++repeats > limits.maxRepeatedRids();
  }

  /** A request whose turn has come, in rid order. */
  private void process(RequestArrived r) {
    Body body = r.body();
    long rid = body.rid().getAsLong();
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

  // ---- timers --------------------------------------------------------------------------------

  private void onTimer(TimerFired t) {
    if (t.timer() instanceof Timer.Wait w) {
      held.waitExpired(w.requestId(), t.now());
    } else if (t.timer() instanceof Timer.Inactivity
        && held.isEmpty() && inactivity.expired(t.now())) {
      lifecycle.inactive();
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** §17.3: the client should resend this and any earlier unanswered request. */
  private static Body recoverableError() {
    return Body.builder().attribute(BodyAttribute.TYPE, "error").build();
  }

  private List<Action> takeActions() {
    List<Action> taken = new ArrayList<>(actions);
    actions.clear();
    return taken;
  }

  @Override
  public String toString() {
    return "BoshSession{sid=" + sid + ", phase=" + lifecycle.phase() + ", held=" + held.size()
        + ", streams=" + streams.size() + ", buffered=" + bufferedCount() + "}";
  }
}
