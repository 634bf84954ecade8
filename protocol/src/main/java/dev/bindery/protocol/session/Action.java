package dev.bindery.protocol.session;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.xmpp.Stanza;
import dev.bindery.protocol.xmpp.StreamHeader;
import java.util.List;

/** Immutable. Something a session asks its runner to do, in the order given. */
public sealed interface Action {

  /** Connect to the server and open a stream with this header. */
  record OpenUpstream(StreamHeader header) implements Action {}

  /** Write these elements to the server, in order. */
  record SendUpstream(List<Stanza> stanzas) implements Action {
    public SendUpstream {
      stanzas = List.copyOf(stanzas);
    }
  }

  /** Send a new stream header on the same connection (XEP-0206 §5). */
  record RestartUpstream(StreamHeader header) implements Action {}

  /** Close the server stream with {@code </stream:stream>} and then the connection. */
  record CloseUpstream() implements Action {}

  /** Answer the HTTP exchange {@code requestId} with this body. */
  record Respond(long requestId, Body body) implements Action {}

  /** Fire {@code timer} at {@code at} ms, replacing any earlier schedule of the same timer. */
  record Schedule(Timer timer, long at) implements Action {}

  /** Forget {@code timer}. */
  record Cancel(Timer timer) implements Action {}

  /**
   * The session is over: forget it. {@code condition} is null for an ordinary end (client
   * terminate or inactivity).
   */
  record EndSession(BindingCondition condition) implements Action {}
}
