package dev.bindery.protocol.session;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.protocol.xmpp.Namespaces;
import dev.bindery.protocol.session.Action.CloseUpstream;
import dev.bindery.protocol.session.Action.OpenUpstream;
import dev.bindery.protocol.session.Action.RestartUpstream;
import dev.bindery.protocol.session.Action.SendUpstream;
import dev.bindery.protocol.session.Event.RequestArrived;
import dev.bindery.protocol.xmpp.Stanza;
import java.util.List;

/**
 * Confined to its session. Does what a request asks for once its turn has come, in rid order:
 * relays its payload (XEP-0124 §8), restarts a stream (XEP-0206 §5), pauses the session (§10),
 * terminates it (§13), or adds or closes a stream (§16); then holds it for its response.
 */
final class RequestProcessor {

  /** XEP-0138 stream compression negotiation, never relayed. */
  private static final String COMPRESSION = "http://jabber.org/protocol/compress";

  private final CreationRequest creation;
  private final StreamPolicy policy;
  private final SessionLimits limits;
  private final SessionStreams streams;
  private final HeldRequests held;
  private final Lifecycle lifecycle;
  private final Acknowledgements acks;
  private final Inactivity inactivity;
  private final Outbox actions;

  RequestProcessor(CreationRequest creation, StreamPolicy policy, SessionLimits limits,
      SessionStreams streams, HeldRequests held, Lifecycle lifecycle, Acknowledgements acks,
      Inactivity inactivity, Outbox actions) {
    this.creation = creation;
    this.policy = policy;
    this.limits = limits;
    this.streams = streams;
    this.held = held;
    this.lifecycle = lifecycle;
    this.acks = acks;
    this.inactivity = inactivity;
    this.actions = actions;
  }

  /** Processes an admitted request whose turn has come. */
  void process(RequestArrived r) {
    Body body = r.body();
    long rid = body.rid().getAsLong();
    boolean reportDue = acks.received(body, rid, r.now());
    inactivity.interrupt();
    SessionStream target = null;
    // §16.4: the 'stream' of an empty body without 'from' is ignored; it names nothing to route
    boolean ignoreStream = RequestAdmission.isEmpty(body) && !body.has(BodyAttribute.FROM);
    String name = ignoreStream ? null : body.attribute(BodyAttribute.STREAM).orElse(null);
    if (name != null && !isAddStream(body)) {
      target = streams.named(name);
      if (target == null) {
        // §16: an unknown stream is item-not-found; one that just closed is ignored
        if (streams.everNamed(name)) {
          held.hold(r.requestId(), rid, -1, r.now());
        } else {
          lifecycle.abort(r.requestId(), BindingCondition.ITEM_NOT_FOUND);
        }
        return;
      }
    }
    if (body.isTerminate()) {
      if (target != null && streams.live() > 1) {
        closeStream(target, r, rid);
      } else {
        lifecycle.terminate(r.requestId(), rid, relayable(body), r.now());
      }
      return;
    }
    if (body.has(BodyAttribute.PAUSE) && limits.maxPause() > 0) {
      pause(r, rid);
      return;
    }
    if (isAddStream(body)) {
      addStream(r, rid);
      return;
    }
    if (body.isRestart()) {
      // XEP-0206 §5: a restart request SHOULD be empty; stanzas in it are ignored. A restart is
      // no payload to broadcast: without a stream name it concerns the first stream.
      SessionStream restarted = target != null ? target : streams.first();
      if (restarted.live()) {
        actions.add(new RestartUpstream(restarted.index, restarted.header));
      }
    } else {
      // §16: a payload without a stream name goes to every open stream
      streams.send(target, relayable(body), actions);
    }
    held.hold(r.requestId(), rid, -1, r.now());
    if (reportDue) {
      held.answerAll(r.now()); // §9.2: answer at once, telling which response went missing
    }
  }

  /**
   * The payloads to relay: TLS and stream-compression negotiation stay out of BOSH (XEP-0206 §2,
   * §4); the connection manager owns the server stream's TLS and HTTP does the compressing.
   */
  private static List<Stanza> relayable(Body body) {
    List<Stanza> payloads = body.payloads();
    for (Stanza p : payloads) {
      if (isNegotiation(p)) {
        return payloads.stream().filter(q -> !isNegotiation(q)).toList();
      }
    }
    return payloads;
  }

  private static boolean isNegotiation(Stanza s) {
    return Namespaces.TLS.equals(s.namespace()) || COMPRESSION.equals(s.namespace());
  }

  private static boolean isAddStream(Body body) {
    return body.has(BodyAttribute.TO) && body.payloads().isEmpty() && !body.isRestart()
        && !body.isTerminate();
  }

  /** §10: answer everything at once, without payloads, and stretch the inactivity period. */
  private void pause(RequestArrived r, long rid) {
    long seconds = r.body().unsignedLong(BodyAttribute.PAUSE, 0, Integer.MAX_VALUE).orElse(-1);
    if (seconds < 0 || seconds > limits.maxPause()) {
      lifecycle.abort(r.requestId(), BindingCondition.POLICY_VIOLATION);
      return;
    }
    streams.send(null, relayable(r.body()), actions);
    inactivity.pause((int) seconds);
    // "The response to a pause request MUST NOT contain payloads", and it is not buffered (§14.3)
    held.answerAllThen(r.requestId(), rid, Body.builder(), false, r.now());
  }

  /** §16: open another stream; the response names it. */
  private void addStream(RequestArrived r, long rid) {
    Body body = r.body();
    String to = body.attribute(BodyAttribute.TO).orElseThrow().trim();
    if (!policy.serves(to)) {
      lifecycle.abort(r.requestId(), BindingCondition.HOST_UNKNOWN);
      return;
    }
    SessionStream s = streams.add(policy.newStreamName(), to,
        body.attribute(BodyAttribute.FROM).orElse(null),
        body.attribute(BodyAttribute.XMPP_VERSION).orElse(creation.xmppVersion()),
        body.attribute(BodyAttribute.XML_LANG).orElse(creation.lang()));
    actions.add(new OpenUpstream(s.index, s.header));
    held.hold(r.requestId(), rid, s.index, r.now());
  }

  /** §16: the client closes one of several streams; the session goes on. */
  private void closeStream(SessionStream s, RequestArrived r, long rid) {
    List<Stanza> relayed = relayable(r.body());
    if (!relayed.isEmpty()) {
      actions.add(new SendUpstream(s.index, relayed));
    }
    actions.add(new CloseUpstream(s.index));
    Body.Builder b = Body.builder().terminate(null)
        .attribute(BodyAttribute.STREAM, s.name).payloads(s.drain());
    s.close();
    // responses stay in rid order: the older requests first
    held.answerAllThen(r.requestId(), rid, b, true, r.now());
  }
}
