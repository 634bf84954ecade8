package dev.bindery.protocol.session;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.xmpp.Stanza;
import java.util.List;

/** Immutable. Something that happened to a session; each carries the time it happened, in ms. */
public sealed interface Event {

  /** The time of the event, in milliseconds on a monotonic clock. */
  long now();

  /**
   * An HTTP request arrived with a parsed body.
   *
   * @param requestId identifies the HTTP exchange in {@link Action.Respond}; unique per session
   */
  record RequestArrived(long requestId, Body body, long now) implements Event {}

  /** A timer the session scheduled is due. */
  record TimerFired(Timer timer, long now) implements Event {}

  /** The server opened its stream (the first or a restarted one). */
  record UpstreamOpened(String streamId, String from, String version, long now) implements Event {}

  /** Top-level elements from the server, in order: features, SASL elements, stanzas. */
  record UpstreamReceived(List<Stanza> stanzas, long now) implements Event {
    public UpstreamReceived {
      stanzas = List.copyOf(stanzas);
    }
  }

  /** The server sent {@code <stream:error/>}; its stream is over. */
  record UpstreamStreamError(Stanza error, long now) implements Event {}

  /** The connection to the server could not be made, or closed. */
  record UpstreamClosed(String reason, long now) implements Event {}

  /**
   * The connection manager is shutting down (or draining past its grace period): the client
   * learns {@code condition}, normally {@code system-shutdown}, and the server stream is closed.
   */
  record Shutdown(BindingCondition condition, long now) implements Event {}
}
