package dev.bindery.protocol.session;

import dev.bindery.protocol.session.Action.OpenUpstream;
import dev.bindery.protocol.session.Event.RequestArrived;
import dev.bindery.protocol.session.Event.TimerFired;
import dev.bindery.protocol.session.Lifecycle.Phase;
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
 *
 * <p>The work is shared out: {@link RequestAdmission} decides whether and when a request is
 * processed, {@link RequestProcessor} does what it asks, {@link HeldRequests} holds and answers
 * it, {@link UpstreamEvents} takes in what the server sends, {@link Lifecycle} owns the phase and
 * ends the session, {@link Inactivity} times it. They all add to one list of actions, which each
 * call hands over.
 */
public final class BoshSession {

  private final String sid;
  private final CreationRequest creation;
  private final int wait;
  private final int hold;
  /** What the session asks its runner to do, until {@link #takeActions} hands it over. */
  private final Outbox actions = new Outbox();
  private final SessionStreams streams = new SessionStreams();
  private final Inactivity inactivity;
  private final HeldRequests held;
  private final Lifecycle lifecycle;
  private final RequestAdmission admission;
  private final UpstreamEvents upstream;
  private final Dispatch dispatch = new Dispatch();

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
    this.wait = Math.min(creation.waitSeconds(), limits.maxWait());
    this.hold = Math.min(creation.hold(), limits.maxHold());
    int requests = hold + 1;
    boolean polling = hold == 0 || wait == 0;
    int inactivitySeconds = polling ? limits.pollingInactivity() : limits.inactivity();
    this.inactivity = new Inactivity(inactivitySeconds, actions);
    RequestWindow window = new RequestWindow(creation.rid(), requests);
    Acknowledgements acks = new Acknowledgements(creation.acks(), creation.rid(), requests, limits);
    ActivityMonitor activity = new ActivityMonitor(requests, limits.polling(), polling);
    SessionStream first = streams.add(policy.newStreamName(), domain, creation.from(),
        creation.xmppVersion(), creation.lang());
    this.held = new HeldRequests(wait, hold, CreationResponse.attributes(sid, creation, domain,
        first.name, wait, hold, inactivitySeconds, limits), streams, window, acks, activity,
        inactivity, actions);
    this.lifecycle = new Lifecycle(streams, held, window, inactivity, actions);
    this.upstream = new UpstreamEvents(streams, held, lifecycle, actions);
    RequestProcessor processor = new RequestProcessor(creation, policy, limits, streams, held,
        lifecycle, acks, inactivity, actions);
    this.admission = new RequestAdmission(window, activity, creation.newkey(), acks, held,
        lifecycle, processor, limits, actions);
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
    admission.requireSecure(secure);
    actions.add(new OpenUpstream(0, streams.first().header));
    held.hold(requestId, creation.rid(), -1, now);
    return takeActions();
  }

  /** Handles one event and returns what to do about it, in order. */
  public List<Action> on(Event event) {
    event.applyTo(dispatch);
    return takeActions();
  }

  /**
   * Each kind of event to the part of the session that handles it. Once the session has ended,
   * a request is refused (as for an unknown session) and anything else ignored; once the server
   * side has failed ({@code TERMINATING}), only requests and timers count, so that later news
   * cannot replace why the session ends.
   */
  private final class Dispatch implements Event.Handler {

    @Override
    public void requestArrived(RequestArrived r) {
      if (lifecycle.phase() == Phase.ENDED) {
        lifecycle.refuse(r.requestId());
      } else {
        admission.admit(r);
      }
    }

    @Override
    public void timerFired(TimerFired t) {
      if (lifecycle.phase() != Phase.ENDED) {
        onTimer(t);
      }
    }

    @Override
    public void upstreamOpened(Event.UpstreamOpened e) {
      if (open()) {
        upstream.opened(e);
      }
    }

    @Override
    public void upstreamReceived(Event.UpstreamReceived e) {
      if (open()) {
        upstream.received(e);
      }
    }

    @Override
    public void upstreamStreamError(Event.UpstreamStreamError e) {
      if (open()) {
        upstream.streamError(e);
      }
    }

    @Override
    public void upstreamClosed(Event.UpstreamClosed e) {
      if (open()) {
        upstream.closed(e);
      }
    }

    @Override
    public void upstreamViolation(Event.UpstreamViolation e) {
      if (open()) {
        upstream.violation(e);
      }
    }

    @Override
    public void shutdown(Event.Shutdown s) {
      if (open()) {
        lifecycle.shutdown(s.condition(), s.now());
      }
    }

    /** Neither ended nor ending because the server side failed. */
    private boolean open() {
      return lifecycle.phase() != Phase.ENDED && lifecycle.phase() != Phase.TERMINATING;
    }
  }

  private void onTimer(TimerFired t) {
    if (t.timer() instanceof Timer.Wait w) {
      held.waitExpired(w.requestId(), t.now());
    } else if (t.timer() instanceof Timer.Inactivity
        && held.isEmpty() && inactivity.expired(t.now())) {
      lifecycle.inactive();
    }
  }

  private List<Action> takeActions() {
    return actions.take();
  }

  @Override
  public String toString() {
    return "BoshSession{sid=" + sid + ", phase=" + lifecycle.phase() + ", held=" + held.size()
        + ", streams=" + streams.size() + ", buffered=" + bufferedCount() + "}";
  }
}
