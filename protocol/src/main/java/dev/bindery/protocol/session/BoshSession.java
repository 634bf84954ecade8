package dev.bindery.protocol.session;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.protocol.session.Action.CloseUpstream;
import dev.bindery.protocol.session.Action.EndSession;
import dev.bindery.protocol.session.Action.OpenUpstream;
import dev.bindery.protocol.session.Action.Respond;
import dev.bindery.protocol.session.Action.RestartUpstream;
import dev.bindery.protocol.session.Action.Schedule;
import dev.bindery.protocol.session.Action.SendUpstream;
import dev.bindery.protocol.session.Event.RequestArrived;
import dev.bindery.protocol.session.Event.TimerFired;
import dev.bindery.protocol.session.Event.UpstreamClosed;
import dev.bindery.protocol.session.Event.UpstreamOpened;
import dev.bindery.protocol.session.Event.UpstreamReceived;
import dev.bindery.protocol.session.Event.UpstreamStreamError;
import dev.bindery.protocol.xmpp.Stanza;
import dev.bindery.protocol.xmpp.StreamHeader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.namespace.QName;

/**
 * Confined to the session's event loop. One BOSH session (XEP-0124 with XEP-0206) as a state
 * machine: events in, actions out, no I/O, no clock (time comes with each event).
 *
 * <pre>
 *            start()             UpstreamOpened
 *  (new) ─────────────▶ OPENING ───────────────▶ OPEN
 *                          │                      │
 *                          │ upstream closed or   │ upstream closed or stream error,
 *                          │ stream error         │ no request held to tell the client
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
 * so responses go out in rid order too.
 */
public final class BoshSession {

  private enum Phase { OPENING, OPEN, TERMINATING, ENDED }

  /** A processed request waiting for its response. */
  private record Held(long requestId, long rid) {}

  private final String sid;
  private final CreationRequest creation;
  private final StreamHeader header;
  private final int wait;
  private final int hold;
  private final int requests;
  private final int inactivity;
  private final int maxRepeatedRids;
  private final RequestWindow window;
  private final ResponseBuffer responses;
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private final List<Stanza> outbound = new ArrayList<>();

  private Phase phase = Phase.OPENING;
  /** Attributes of the creation response (§7.2), until it is sent. */
  private Map<QName, String> creationAttributes;
  private String authid;
  private boolean authidSent;
  /** Once TERMINATING: the response the next request gets. */
  private Body terminal;
  private BindingCondition terminalCondition;
  private long idleSince;
  private long repeatedRid = -1;
  private int repeats;
  private List<Action> actions = new ArrayList<>();

  /**
   * A session for a validated creation request; nothing happens until {@link #start}.
   *
   * @param sid    an unpredictable session id, unique within the connection manager (§7.2)
   * @param domain the served domain the client asked for (its {@code to}), as the stream's {@code to}
   */
  public BoshSession(String sid, CreationRequest creation, String domain, SessionLimits limits) {
    this.sid = sid;
    this.creation = creation;
    this.wait = Math.min(creation.waitSeconds(), limits.maxWait());
    this.hold = Math.min(creation.hold(), limits.maxHold());
    this.requests = hold + 1;
    this.inactivity = limits.inactivity();
    this.maxRepeatedRids = limits.maxRepeatedRids();
    this.window = new RequestWindow(creation.rid(), requests);
    this.responses = new ResponseBuffer(requests);
    this.header = new StreamHeader(domain, creation.from(),
        creation.xmppVersion() == null ? null : "1.0", creation.lang());

    Map<QName, String> attrs = new LinkedHashMap<>();
    attrs.put(BodyAttribute.SID, sid);
    attrs.put(BodyAttribute.WAIT, Integer.toString(wait));
    attrs.put(BodyAttribute.REQUESTS, Integer.toString(requests));
    attrs.put(BodyAttribute.HOLD, Integer.toString(hold));
    attrs.put(BodyAttribute.INACTIVITY, Integer.toString(inactivity));
    attrs.put(BodyAttribute.POLLING, Integer.toString(limits.polling()));
    attrs.put(BodyAttribute.VER, creation.legacy()
        ? BoshVersion.CURRENT.toString() : BoshVersion.CURRENT.min(creation.ver()).toString());
    attrs.put(BodyAttribute.FROM, domain);
    if (creation.acks()) {
      attrs.put(BodyAttribute.ACK, Long.toString(creation.rid()));
    }
    if (creation.xmppVersion() != null) {
      attrs.put(BodyAttribute.XMPP_VERSION, "1.0");
    }
    attrs.put(BodyAttribute.XMPP_RESTARTLOGIC, "true");
    this.creationAttributes = attrs;
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
    return phase == Phase.ENDED;
  }

  /** Opens the upstream stream and holds the creation request until the server's features come. */
  public List<Action> start(long requestId, long now) {
    if (phase != Phase.OPENING || !held.isEmpty() || creationAttributes == null) {
      throw new IllegalStateException("session already started: " + sid);
    }
    actions.add(new OpenUpstream(header));
    holdRequest(requestId, creation.rid(), now);
    return takeActions();
  }

  /** Handles one event and returns what to do about it, in order. */
  public List<Action> on(Event event) {
    if (phase == Phase.ENDED) {
      if (event instanceof RequestArrived r) {
        actions.add(new Respond(r.requestId(), terminate(BindingCondition.ITEM_NOT_FOUND)));
      }
      return takeActions();
    }
    if (phase == Phase.TERMINATING
        && !(event instanceof RequestArrived) && !(event instanceof TimerFired)) {
      return takeActions(); // the server side already failed: later news must not replace why
    }
    if (event instanceof RequestArrived r) {
      onRequest(r);
    } else if (event instanceof TimerFired t) {
      onTimer(t);
    } else if (event instanceof UpstreamOpened o) {
      onUpstreamOpened(o);
    } else if (event instanceof UpstreamReceived r) {
      outbound.addAll(r.stanzas());
      flush(r.now());
    } else if (event instanceof UpstreamStreamError e) {
      outbound.add(e.error());
      fail(BindingCondition.REMOTE_STREAM_ERROR, e.now());
    } else if (event instanceof UpstreamClosed c) {
      fail(BindingCondition.REMOTE_CONNECTION_FAILED, c.now());
    } else if (event instanceof Event.Shutdown s) {
      fail(s.condition(), s.now());
    }
    return takeActions();
  }

  private void onRequest(RequestArrived r) {
    var rid = r.body().rid();
    if (rid.isEmpty()) {
      // §6: every request MUST carry a valid rid
      abort(r.requestId(), BindingCondition.BAD_REQUEST, r.now());
      return;
    }
    if (phase == Phase.TERMINATING) {
      actions.add(new Respond(r.requestId(), terminal));
      end(terminalCondition, r.now());
      return;
    }
    long id = rid.getAsLong();
    switch (window.locate(id)) {
      case NEXT -> {
        window.advance();
        process(r);
        for (RequestArrived next = window.takeNext(); next != null && phase != Phase.ENDED;
            next = window.takeNext()) {
          window.advance();
          process(next);
        }
      }
      case EARLY -> {
        RequestArrived replaced = window.holdBack(id, r);
        if (replaced != null) {
          actions.add(new Respond(replaced.requestId(), recoverableError()));
          if (repeated(id, r.now())) {
            closeAndEnd(BindingCondition.POLICY_VIOLATION, r.now()); // answers r, held back
          }
        }
      }
      case REPEAT -> onRepeat(r, id);
      case BEYOND -> {
        // §14.2: a rid beyond the window terminates the session
        abort(r.requestId(), BindingCondition.ITEM_NOT_FOUND, r.now());
      }
    }
  }

  /** §14.3: a rid seen before. */
  private void onRepeat(RequestArrived r, long rid) {
    if (repeated(rid, r.now())) {
      abort(r.requestId(), BindingCondition.POLICY_VIOLATION, r.now());
      return;
    }
    Body buffered = responses.get(rid);
    if (buffered != null) {
      actions.add(new Respond(r.requestId(), buffered));
      return;
    }
    for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
      Held h = it.next();
      if (h.rid() == rid) {
        // answer the older request with a recoverable error; the newer one takes its place
        actions.add(new Action.Cancel(new Timer.Wait(h.requestId())));
        actions.add(new Respond(h.requestId(), recoverableError()));
        replaceHeld(h, new Held(r.requestId(), rid), r.now());
        return;
      }
    }
    abort(r.requestId(), BindingCondition.ITEM_NOT_FOUND, r.now());
  }

  /** Counts one more repeat of {@code rid}; true when over the limit (§14.3). */
  private boolean repeated(long rid, long now) {
    if (rid != repeatedRid) {
      repeatedRid = rid;
      repeats = 0;
    }
    return ++repeats > maxRepeatedRids;
  }

  private void replaceHeld(Held old, Held replacement, long now) {
    ArrayDeque<Held> copy = new ArrayDeque<>(held.size());
    for (Held h : held) {
      copy.add(h == old ? replacement : h);
    }
    held.clear();
    held.addAll(copy);
    actions.add(new Schedule(new Timer.Wait(replacement.requestId()), now + wait * 1000L));
  }

  /** A request whose turn has come, in rid order. */
  private void process(RequestArrived r) {
    Body body = r.body();
    long rid = body.rid().getAsLong();
    actions.add(new Action.Cancel(Timer.INACTIVITY));
    if (body.isTerminate()) {
      clientTerminate(r, rid);
      return;
    }
    if (body.isRestart()) {
      // XEP-0206 §5: a restart request SHOULD be empty; stanzas in it are ignored
      actions.add(new RestartUpstream(header));
    } else if (!body.payloads().isEmpty()) {
      actions.add(new SendUpstream(body.payloads()));
    }
    holdRequest(r.requestId(), rid, r.now());
  }

  /** §13: forward the payload, close the stream, answer every pending request. */
  private void clientTerminate(RequestArrived r, long rid) {
    if (!r.body().payloads().isEmpty()) {
      actions.add(new SendUpstream(r.body().payloads()));
    }
    actions.add(new CloseUpstream());
    held.add(new Held(r.requestId(), rid));
    // the oldest pending request acknowledges the termination, the others get empty bodies
    Body.Builder ack = Body.builder().terminate(null).payloads(outbound);
    outbound.clear();
    respond(held.poll(), ack);
    while (!held.isEmpty()) {
      respond(held.poll(), Body.builder());
    }
    end(null, r.now());
  }

  private void holdRequest(long requestId, long rid, long now) {
    held.add(new Held(requestId, rid));
    actions.add(new Schedule(new Timer.Wait(requestId), now + wait * 1000L));
    flush(now);
  }

  /** Answers what can be answered: pending payload first, then any request beyond {@code hold}. */
  private void flush(long now) {
    boolean answered = false;
    if (!outbound.isEmpty() && !held.isEmpty()) {
      Body.Builder b = Body.builder().payloads(outbound);
      outbound.clear();
      respond(held.poll(), b);
      answered = true;
    }
    // the creation request waits for the server's features whatever the hold (XEP-0206 §4)
    while (held.size() > hold && creationAttributes == null) {
      respond(held.poll(), Body.builder());
      answered = true;
    }
    // §10 counts from the last response: server traffic alone does not restart the clock
    if (answered) {
      becomeIdleIfNothingHeld(now);
    }
  }

  private void becomeIdleIfNothingHeld(long now) {
    if (held.isEmpty() && phase != Phase.ENDED) {
      idleSince = now;
      actions.add(new Schedule(Timer.INACTIVITY, now + inactivity * 1000L));
    }
  }

  /** Answers one held request, adding what every response of this session carries. */
  private void respond(Held h, Body.Builder b) {
    if (creationAttributes != null) {
      creationAttributes.forEach(b::attribute);
      creationAttributes = null;
    }
    if (authid != null && !authidSent) {
      b.attribute(BodyAttribute.AUTHID, authid);
      authidSent = true;
    }
    long ack = window.lastInOrder();
    if (creation.acks() && ack != h.rid() && h.rid() != creation.rid()) {
      // §9: the ack attribute is left out when it equals the rid being answered
      b.attribute(BodyAttribute.ACK, ack);
    }
    Body body = b.build();
    responses.put(h.rid(), body);
    actions.add(new Action.Cancel(new Timer.Wait(h.requestId())));
    actions.add(new Respond(h.requestId(), body));
  }

  private void onTimer(TimerFired t) {
    if (t.timer() instanceof Timer.Wait w) {
        boolean pending = held.stream().anyMatch(h -> h.requestId() == w.requestId());
        if (!pending) {
          return; // answered before the timer could be cancelled
        }
        // answer it, and anything older first: responses go out in rid order
        Held h;
        do {
          h = held.poll();
          Body.Builder b = Body.builder().payloads(outbound);
          outbound.clear();
          respond(h, b);
        } while (h.requestId() != w.requestId());
        becomeIdleIfNothingHeld(t.now());
    } else if (t.timer() instanceof Timer.Inactivity) {
        if (!held.isEmpty() || t.now() - idleSince < inactivity * 1000L) {
          return;
        }
        // §10: end the session without informing the client
        if (phase != Phase.TERMINATING) {
          actions.add(new CloseUpstream());
        }
        end(phase == Phase.TERMINATING ? terminalCondition : null, t.now());
    }
  }

  private void onUpstreamOpened(UpstreamOpened o) {
    if (authid == null) {
      authid = o.streamId();
    }
    phase = Phase.OPEN;
  }

  /**
   * The server side failed: the client learns the condition on its oldest held request, with
   * whatever payload was still waiting, or on its next request.
   */
  private void fail(BindingCondition condition, long now) {
    actions.add(new CloseUpstream());
    Body.Builder b = Body.builder().terminate(condition).payloads(outbound);
    outbound.clear();
    if (held.isEmpty()) {
      terminal = b.build();
      terminalCondition = condition;
      phase = Phase.TERMINATING;
      becomeIdleIfNothingHeld(now);
      return;
    }
    creationAttributes = null; // a session that never started needs no parameters
    respond(held.poll(), b);
    end(condition, now);
  }

  /** A client error ends the session: this request learns why first. */
  private void abort(long requestId, BindingCondition condition, long now) {
    actions.add(new Respond(requestId, terminate(condition)));
    closeAndEnd(condition, now);
  }

  /** Ends the session from the client side: the server stream, if still open, is closed too. */
  private void closeAndEnd(BindingCondition condition, long now) {
    if (phase != Phase.TERMINATING) {
      actions.add(new CloseUpstream());
    }
    end(condition, now);
  }

  /** The session is over: every request still pending learns it, then the runner forgets it. */
  private void end(BindingCondition condition, long now) {
    Body last = condition == null ? Body.empty() : terminate(condition);
    while (!held.isEmpty()) {
      Held h = held.poll();
      actions.add(new Action.Cancel(new Timer.Wait(h.requestId())));
      actions.add(new Respond(h.requestId(), last));
    }
    for (RequestArrived early : window.drain()) {
      actions.add(new Respond(early.requestId(),
          terminate(condition == null ? BindingCondition.ITEM_NOT_FOUND : condition)));
    }
    actions.add(new Action.Cancel(Timer.INACTIVITY));
    actions.add(new EndSession(condition));
    phase = Phase.ENDED;
  }

  private static Body terminate(BindingCondition condition) {
    return Body.builder().terminate(condition).build();
  }

  /** §17.3: the client should resend this and any earlier unanswered request. */
  private static Body recoverableError() {
    return Body.builder().attribute(BodyAttribute.TYPE, "error").build();
  }

  private List<Action> takeActions() {
    List<Action> taken = actions;
    actions = new ArrayList<>();
    return taken;
  }

  @Override
  public String toString() {
    return "BoshSession{sid=" + sid + ", phase=" + phase + ", held=" + held.size()
        + ", outbound=" + outbound.size() + "}";
  }
}
