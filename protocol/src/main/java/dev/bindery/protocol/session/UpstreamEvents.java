package dev.bindery.protocol.session;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.session.Action.CloseUpstream;
import dev.bindery.protocol.xmpp.ErrorDetail;

/**
 * Confined to its session. What the server side's events do to the session: a stream's id, the
 * elements the client is to get, and a stream that fails, by a stream error (XEP-0206 §6), a
 * lost connection, or broken rules (§17.2). News of a stream that is no longer live is dropped.
 */
final class UpstreamEvents {

  private final SessionStreams streams;
  private final HeldRequests held;
  private final Lifecycle lifecycle;
  private final Outbox actions;

  UpstreamEvents(SessionStreams streams, HeldRequests held, Lifecycle lifecycle,
      Outbox actions) {
    this.streams = streams;
    this.held = held;
    this.lifecycle = lifecycle;
    this.actions = actions;
  }

  /** The server opened a stream (the first, or a restarted one). */
  void opened(Event.UpstreamOpened o) {
    SessionStream s = streams.get(o.stream());
    if (s != null && s.authid == null) {
      s.authid = o.streamId();
    }
    if (o.stream() == 0) {
      lifecycle.opened();
    }
  }

  /** Elements from the server: buffered for the client, answering a held request at once. */
  void received(Event.UpstreamReceived r) {
    SessionStream s = streams.get(r.stream());
    if (s != null && s.live()) {
      s.outbound.addAll(r.stanzas());
      held.flush(r.now());
    }
  }

  /** A stream error: the client gets it, after what came before it (XEP-0206 §6). */
  void streamError(Event.UpstreamStreamError e) {
    SessionStream s = streams.get(e.stream());
    if (s != null && s.live()) {
      s.outbound.addAll(e.before());
      s.outbound.add(e.error());
      failed(s, BindingCondition.REMOTE_STREAM_ERROR, e.now());
    }
  }

  /** The connection to the server could not be made, or closed. */
  void closed(Event.UpstreamClosed c) {
    SessionStream s = streams.get(c.stream());
    if (s != null && s.live()) {
      failed(s, BindingCondition.REMOTE_CONNECTION_FAILED, c.now());
    }
  }

  /** The server broke the rules of XML or XMPP without a stream error. */
  void violation(Event.UpstreamViolation v) {
    SessionStream s = streams.get(v.stream());
    if (s != null && s.live()) {
      // §17.2: undefined-condition SHOULD carry application-specific information
      s.outbound.add(ErrorDetail.of(v.detail()));
      failed(s, BindingCondition.UNDEFINED_CONDITION, v.now());
    }
  }

  /**
   * The server side of one stream failed. With other streams still open, only that stream ends
   * (§16); otherwise the session does, the client learning why on its oldest held request, with
   * whatever payload was still waiting, or on its next request.
   */
  private void failed(SessionStream s, BindingCondition condition, long now) {
    actions.add(new CloseUpstream(s.index));
    if (streams.live() > 1) {
      s.fail(condition);
      held.flush(now);
      return;
    }
    s.close();
    // the last stream: the session ends, so the condition names no stream (§16.6)
    lifecycle.fail(condition, Body.builder().terminate(condition).payloads(s.drain()), now);
  }
}
