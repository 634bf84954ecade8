package dev.bindery.protocol.session;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.xmpp.Stanza;
import java.util.List;

/**
 * Immutable. Something that happened to a session; each carries the time it happened, in ms.
 * Upstream events name the session's stream by its index: 0 for the stream opened at creation,
 * then 1, 2, … for streams added later (XEP-0124 §16).
 */
public sealed interface Event {

  /** The time of the event, in milliseconds on a monotonic clock. */
  long now();

  /** Calls the method of {@code handler} for this kind of event. */
  void applyTo(Handler handler);

  /**
   * What a session does on each kind of event. A new kind of event adds a method here, so the
   * session does not compile until it handles it: none is silently ignored.
   */
  interface Handler {
    void requestArrived(RequestArrived event);

    void timerFired(TimerFired event);

    void upstreamOpened(UpstreamOpened event);

    void upstreamReceived(UpstreamReceived event);

    void upstreamStreamError(UpstreamStreamError event);

    void upstreamClosed(UpstreamClosed event);

    void upstreamViolation(UpstreamViolation event);

    void shutdown(Shutdown event);
  }

  /**
   * An HTTP request arrived with a parsed body.
   *
   * @param requestId identifies the HTTP exchange in {@link Action.Respond}; unique per session
   * @param secure    true when it came over HTTPS (XEP-0124 §19)
   */
  record RequestArrived(long requestId, Body body, boolean secure, long now) implements Event {
    @Override
    public void applyTo(Handler handler) {
      handler.requestArrived(this);
    }

    public RequestArrived(long requestId, Body body, long now) {
      this(requestId, body, false, now);
    }
  }

  /** A timer the session scheduled is due. */
  record TimerFired(Timer timer, long now) implements Event {
    @Override
    public void applyTo(Handler handler) {
      handler.timerFired(this);
    }
  }

  /** The server opened its stream (the first or a restarted one). */
  record UpstreamOpened(int stream, String streamId, String from, String version, long now)
      implements Event {
    @Override
    public void applyTo(Handler handler) {
      handler.upstreamOpened(this);
    }

    public UpstreamOpened(String streamId, String from, String version, long now) {
      this(0, streamId, from, version, now);
    }
  }

  /** Top-level elements from the server, in order: features, SASL elements, stanzas. */
  record UpstreamReceived(int stream, List<Stanza> stanzas, long now) implements Event {
    @Override
    public void applyTo(Handler handler) {
      handler.upstreamReceived(this);
    }

    public UpstreamReceived {
      stanzas = List.copyOf(stanzas);
    }

    public UpstreamReceived(List<Stanza> stanzas, long now) {
      this(0, stanzas, now);
    }
  }

  /**
   * The server sent {@code <stream:error/>}; its stream is over. {@code before} holds the
   * elements that came with it in the same read, which the client gets in the same body, ahead
   * of the error (XEP-0206 §6).
   */
  record UpstreamStreamError(int stream, List<Stanza> before, Stanza error, long now)
      implements Event {
    @Override
    public void applyTo(Handler handler) {
      handler.upstreamStreamError(this);
    }

    public UpstreamStreamError {
      before = List.copyOf(before);
    }

    public UpstreamStreamError(int stream, Stanza error, long now) {
      this(stream, List.of(), error, now);
    }

    public UpstreamStreamError(Stanza error, long now) {
      this(0, List.of(), error, now);
    }
  }

  /** The connection to the server could not be made, or closed. */
  record UpstreamClosed(int stream, String reason, long now) implements Event {
    @Override
    public void applyTo(Handler handler) {
      handler.upstreamClosed(this);
    }

    public UpstreamClosed(String reason, long now) {
      this(0, reason, now);
    }
  }

  /**
   * The server broke the rules of XML or XMPP without a stream error (malformed XML, a stanza
   * over the size limit): the stream is unusable, and the client gets {@code undefined-condition}
   * with the detail (XEP-0124 §17.2).
   */
  record UpstreamViolation(int stream, String detail, long now) implements Event {
    @Override
    public void applyTo(Handler handler) {
      handler.upstreamViolation(this);
    }
  }

  /**
   * The connection manager is shutting down (or draining past its grace period): the client
   * learns {@code condition}, normally {@code system-shutdown}, and the server stream ends: on
   * {@code system-shutdown} unfinished (the connection closes without {@code </stream:stream>},
   * so that the client can resume it), on any other condition closed.
   */
  record Shutdown(BindingCondition condition, long now) implements Event {
    @Override
    public void applyTo(Handler handler) {
      handler.shutdown(this);
    }
  }
}
