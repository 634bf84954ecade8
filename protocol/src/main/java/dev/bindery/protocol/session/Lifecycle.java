package dev.bindery.protocol.session;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.session.Action.EndSession;
import dev.bindery.protocol.session.Action.Respond;
import dev.bindery.protocol.session.Event.RequestArrived;
import dev.bindery.protocol.xmpp.Stanza;
import java.util.List;

/**
 * Confined to its session. The session's phase (see {@link BoshSession}) and every way it ends:
 * the client terminates it (XEP-0124 §13), breaks a rule (§17), or goes quiet (§10); the server
 * side fails; the connection manager shuts down. Whoever learns nothing else learns why: the
 * held requests, the requests held back in the window, or the next request.
 */
final class Lifecycle {

  enum Phase { OPENING, OPEN, TERMINATING, ENDED }

  private final SessionStreams streams;
  private final HeldRequests held;
  private final RequestWindow window;
  private final Inactivity inactivity;
  private final Outbox actions;
  private Phase phase = Phase.OPENING;
  /** Once TERMINATING: the response the next request gets. */
  private Body terminal;
  private BindingCondition terminalCondition;

  Lifecycle(SessionStreams streams, HeldRequests held, RequestWindow window,
      Inactivity inactivity, Outbox actions) {
    this.streams = streams;
    this.held = held;
    this.window = window;
    this.inactivity = inactivity;
    this.actions = actions;
  }

  Phase phase() {
    return phase;
  }

  /** The server opened the first stream. */
  void opened() {
    phase = Phase.OPEN;
  }

  /** A request for a session that has ended: its sid is no longer valid (§17.2). */
  void refuse(long requestId) {
    actions.add(new Respond(requestId, terminate(BindingCondition.ITEM_NOT_FOUND)));
  }

  /** Once TERMINATING: the request learns why the server side failed, and the session ends. */
  void answerTerminal(long requestId) {
    actions.add(new Respond(requestId, terminal));
    end(terminalCondition, terminalCondition);
  }

  /** §10: nothing came for the inactivity period; the session ends without telling the client. */
  void inactive() {
    if (phase == Phase.TERMINATING) {
      end(terminalCondition, terminalCondition);
    } else {
      closeAndEnd(null);
    }
  }

  /** §13: forward the payload, close the streams, answer every pending request. */
  void terminate(long requestId, long rid, List<Stanza> payloads, long now) {
    streams.send(null, payloads, actions);
    Body.Builder ack = Body.builder().terminate(null);
    if (streams.size() == 1) {
      ack.payloads(streams.first().drain()); // the last words of the server reach the client
    }
    streams.closeAll(actions); // bounces what could not be delivered (several streams)
    held.answerTermination(requestId, rid, ack, now);
    end(null, null);
  }

  /** A client error ends the session: this request learns why first. */
  void abort(long requestId, BindingCondition condition) {
    actions.add(new Respond(requestId, terminate(condition)));
    closeAndEnd(condition);
  }

  /**
   * §17.2 system-shutdown (or another condition): the connection manager ends the session. On
   * system-shutdown the client did not ask to leave, so its streams are left unfinished rather
   * than closed: one with XEP-0198 resumption can be resumed through another node.
   */
  void shutdown(BindingCondition condition, long now) {
    Body.Builder b = Body.builder().terminate(condition);
    if (streams.size() == 1 && !held.isEmpty()) {
      b.payloads(streams.first().drain()); // delivered now
    }
    if (condition == BindingCondition.SYSTEM_SHUTDOWN) {
      streams.disconnectAll(actions);
    } else {
      streams.closeAll(actions);
    }
    fail(condition, b, now);
  }

  /**
   * The server side failed: the oldest held request gets {@code b} and the session ends, or,
   * with none held, it is TERMINATING until the next request or the end of the inactivity period.
   */
  void fail(BindingCondition condition, Body.Builder b, long now) {
    if (held.isEmpty()) {
      terminal = b.build();
      terminalCondition = condition;
      phase = Phase.TERMINATING;
      inactivity.start(now);
      return;
    }
    held.answerFailure(b, now);
    end(condition, condition);
  }

  /**
   * Ends the session from the client side (an error, or inactivity): the streams still open are
   * closed, after bouncing what the client will never collect (XEP-0206 §7).
   */
  private void closeAndEnd(BindingCondition condition) {
    streams.closeAll(actions);
    // the other pending requests did nothing wrong: another request ended the session (§17.2)
    end(condition, condition == null ? null : BindingCondition.OTHER_REQUEST);
  }

  /**
   * The session is over: every request still pending learns {@code others}, then the runner
   * forgets it.
   */
  private void end(BindingCondition condition, BindingCondition others) {
    held.answerEnd(others == null ? Body.empty() : terminate(others));
    for (RequestArrived early : window.drain()) {
      actions.add(new Respond(early.requestId(),
          terminate(others == null ? BindingCondition.ITEM_NOT_FOUND : others)));
    }
    inactivity.stop();
    actions.add(new EndSession(condition));
    phase = Phase.ENDED;
  }

  private static Body terminate(BindingCondition condition) {
    return Body.terminate(condition);
  }
}
