package dev.bindery.protocol.session;

import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.protocol.session.Action.Cancel;
import dev.bindery.protocol.session.Action.Respond;
import dev.bindery.protocol.session.Action.Schedule;
import java.util.ArrayDeque;
import java.util.Map;
import javax.xml.namespace.QName;

/**
 * Confined to its session. The processed requests waiting for their responses (XEP-0124 §8), and
 * the making of those responses. A held request is answered when the server has news for it, its
 * {@code wait} runs out, or more than {@code hold} requests are held; always oldest first, so
 * that responses go out in rid order. Each response carries what the session still owes the
 * client: the creation attributes (§7.2), the server's stream id, the acknowledgements (§9).
 */
final class HeldRequests {

  /**
   * A processed request waiting for its response; {@code announce} is the index of the stream
   * whose name its response carries (an add-stream request, §16), or -1.
   */
  private record Held(long requestId, long rid, int announce) {}

  private final int wait;
  private final int hold;
  private final SessionStreams streams;
  private final RequestWindow window;
  private final Acknowledgements acks;
  private final ActivityMonitor activity;
  private final Inactivity inactivity;
  private final Outbox actions;
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  /** Attributes of the creation response (§7.2), until it is sent. */
  private Map<QName, String> creationAttributes;
  private boolean authidSent;

  /**
   * @param wait               the negotiated {@code wait}, in seconds
   * @param hold               the negotiated {@code hold}
   * @param creationAttributes what the first response tells the client of the session
   */
  HeldRequests(int wait, int hold, Map<QName, String> creationAttributes, SessionStreams streams,
      RequestWindow window, Acknowledgements acks, ActivityMonitor activity,
      Inactivity inactivity, Outbox actions) {
    this.wait = wait;
    this.hold = hold;
    this.creationAttributes = creationAttributes;
    this.streams = streams;
    this.window = window;
    this.acks = acks;
    this.activity = activity;
    this.inactivity = inactivity;
    this.actions = actions;
  }

  /** True once the creation request came: it is held, or it was answered. */
  boolean started() {
    return !held.isEmpty() || creationAttributes == null;
  }

  boolean isEmpty() {
    return held.isEmpty();
  }

  int size() {
    return held.size();
  }

  /**
   * Holds a processed request until its {@code wait} runs out, answering it at once if there is
   * news; {@code announce} as in {@link Held}.
   */
  void hold(long requestId, long rid, int announce, long now) {
    held.add(new Held(requestId, rid, announce));
    actions.add(new Schedule(new Timer.Wait(requestId), now + wait * 1000L));
    flush(now);
  }

  /** Answers what can be answered: pending news first, then any request beyond {@code hold}. */
  void flush(long now) {
    boolean answered = false;
    while (!held.isEmpty()) {
      Held h = held.peek();
      SessionStream news = streams.nextWithNews(h.announce());
      // an add-stream request is answered, naming its stream, as soon as any stream has news
      boolean announceNow = h.announce() >= 0 && streams.anyNews();
      if (news == null && !announceNow) {
        break;
      }
      held.poll();
      respond(h, fill(h, news), true, now);
      answered = true;
    }
    // the creation request waits for the server's features whatever the hold (XEP-0206 §4)
    while (held.size() > hold && creationAttributes == null) {
      Held h = held.poll();
      respond(h, fill(h, null), true, now);
      answered = true;
    }
    // §10 counts from the last response: server traffic alone does not restart the clock
    if (answered) {
      becomeIdleIfNothingHeld(now);
    }
  }

  /** Answers every held request now, oldest first, with what news there is. */
  void answerAll(long now) {
    while (!held.isEmpty()) {
      Held h = held.poll();
      respond(h, fill(h, streams.nextWithNews(h.announce())), true, now);
    }
    becomeIdleIfNothingHeld(now);
  }

  /** The {@code wait} of request {@code requestId} ran out: it is answered, older ones first. */
  void waitExpired(long requestId, long now) {
    boolean pending = held.stream().anyMatch(h -> h.requestId() == requestId);
    if (!pending) {
      return; // answered before the timer could be cancelled
    }
    Held h;
    do {
      h = held.poll();
      respond(h, fill(h, streams.nextWithNews(h.announce())), true, now);
    } while (h.requestId() != requestId);
    becomeIdleIfNothingHeld(now);
  }

  /**
   * §14.3: a held request sent again. The older copy gets {@code answer}; the newer one takes
   * its place. False when no request with {@code rid} is held.
   */
  boolean replace(long rid, long requestId, Body answer, long now) {
    for (Held h : held) {
      if (h.rid() == rid) {
        actions.add(new Cancel(new Timer.Wait(h.requestId())));
        actions.add(new Respond(h.requestId(), answer));
        Held replacement = new Held(requestId, rid, h.announce());
        ArrayDeque<Held> copy = new ArrayDeque<>(held.size());
        for (Held other : held) {
          copy.add(other == h ? replacement : other);
        }
        held.clear();
        held.addAll(copy);
        actions.add(new Schedule(new Timer.Wait(requestId), now + wait * 1000L));
        return true;
      }
    }
    return false;
  }

  /**
   * Answers every held request without payloads (an added stream is still named), then request
   * {@code requestId} with {@code b}: a pause (§10) or a stream closed by the client (§16).
   * {@code buffer} as in {@link #respond}.
   */
  void answerAllThen(long requestId, long rid, Body.Builder b, boolean buffer, long now) {
    // the held requests are ordinary ones: their responses are buffered like any (§14.3)
    while (!held.isEmpty()) {
      Held h = held.poll();
      respond(h, fill(h, null), true, now);
    }
    respond(new Held(requestId, rid, -1), b, buffer, now);
    becomeIdleIfNothingHeld(now);
  }

  /**
   * §13: the client terminates with request {@code requestId}. The oldest pending request
   * acknowledges the termination with {@code ack}, the others get empty bodies.
   */
  void answerTermination(long requestId, long rid, Body.Builder ack, long now) {
    held.add(new Held(requestId, rid, -1));
    respond(held.poll(), ack, true, now);
    while (!held.isEmpty()) {
      respond(held.poll(), Body.builder(), true, now);
    }
  }

  /**
   * The session failed with a request held to tell the client: the oldest one gets {@code b},
   * which is not kept for resending.
   */
  void answerFailure(Body.Builder b, long now) {
    creationAttributes = null; // a session that never started needs no parameters
    respond(held.poll(), b, false, now);
  }

  /** The session is over: every held request gets {@code last} as it is. */
  void answerEnd(Body last) {
    while (!held.isEmpty()) {
      Held h = held.poll();
      actions.add(new Cancel(new Timer.Wait(h.requestId())));
      actions.add(new Respond(h.requestId(), last));
    }
  }

  /** The body for held request {@code h} carrying the news of {@code s} (may be null). */
  private Body.Builder fill(Held h, SessionStream s) {
    Body.Builder b = Body.builder();
    if (h.announce() >= 0) {
      SessionStream announced = streams.get(h.announce());
      b.attribute(BodyAttribute.STREAM, announced.name)
          .attribute(BodyAttribute.FROM, announced.domain);
      if (announced.header.version() != null) {
        b.attribute(BodyAttribute.XMPP_VERSION, "1.0"); // XEP-0206 §4
      }
      if (s != announced) {
        return b;
      }
    }
    if (s == null) {
      return b;
    }
    if (streams.size() > 1) {
      // §16: once several streams exist, a non-empty body names its stream
      b.attribute(BodyAttribute.STREAM, s.name);
    }
    b.payloads(s.drain());
    if (s.failed()) {
      // §16: a fatal error naming the stream closes only that stream
      b.terminate(s.failure());
      s.close();
    }
    return b;
  }

  private void becomeIdleIfNothingHeld(long now) {
    if (held.isEmpty()) {
      inactivity.start(now);
    }
  }

  /**
   * Answers one request, adding what every response of this session carries; {@code buffer} is
   * false for a response not kept for resending (§14.3), such as a pause response.
   */
  private void respond(Held h, Body.Builder b, boolean buffer, long now) {
    if (creationAttributes != null) {
      creationAttributes.forEach(b::attribute);
      creationAttributes = null;
    }
    SessionStream first = streams.first();
    if (first.authid != null && !authidSent) {
      b.attribute(BodyAttribute.AUTHID, first.authid);
      authidSent = true;
    }
    acks.decorate(b, h.rid(), window.lastInOrder(), held.isEmpty());
    Body body = b.build();
    acks.answered(h.rid(), body, buffer, now);
    activity.answered(body.payloads().isEmpty());
    actions.add(new Cancel(new Timer.Wait(h.requestId())));
    actions.add(new Respond(h.requestId(), body));
  }
}
