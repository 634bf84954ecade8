package dev.bindery.protocol.session;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.xmpp.Stanza;
import dev.bindery.protocol.xmpp.StreamHeader;
import java.util.List;

/**
 * Immutable. Something a session asks its runner to do, in the order given. Upstream actions name
 * the stream by its index, 0 being the stream opened at creation (see {@link Event}).
 */
public sealed interface Action {

  /** Calls the method of {@code handler} for this kind of action. */
  void applyTo(Handler handler);

  /**
   * What a runner does for each kind of action. A new kind of action adds a method here, so no
   * runner compiles until it handles it: none is silently ignored.
   */
  interface Handler {
    void openUpstream(OpenUpstream action);

    void sendUpstream(SendUpstream action);

    void restartUpstream(RestartUpstream action);

    void closeUpstream(CloseUpstream action);

    void disconnectUpstream(DisconnectUpstream action);

    void respond(Respond action);

    void drop(Drop action);

    void schedule(Schedule action);

    void cancel(Cancel action);

    void endSession(EndSession action);
  }

  /** Connect to the server and open a stream with this header. */
  record OpenUpstream(int stream, StreamHeader header) implements Action {
    @Override
    public void applyTo(Handler handler) {
      handler.openUpstream(this);
    }

    public OpenUpstream(StreamHeader header) {
      this(0, header);
    }
  }

  /** Write these elements to the server, in order. */
  record SendUpstream(int stream, List<Stanza> stanzas) implements Action {
    @Override
    public void applyTo(Handler handler) {
      handler.sendUpstream(this);
    }

    public SendUpstream {
      stanzas = List.copyOf(stanzas);
    }

    public SendUpstream(List<Stanza> stanzas) {
      this(0, stanzas);
    }
  }

  /** Send a new stream header on the same connection (XEP-0206 §5). */
  record RestartUpstream(int stream, StreamHeader header) implements Action {
    @Override
    public void applyTo(Handler handler) {
      handler.restartUpstream(this);
    }

    public RestartUpstream(StreamHeader header) {
      this(0, header);
    }
  }

  /** Close the server stream with {@code </stream:stream>} and then the connection. */
  record CloseUpstream(int stream) implements Action {
    @Override
    public void applyTo(Handler handler) {
      handler.closeUpstream(this);
    }

    public CloseUpstream() {
      this(0);
    }
  }

  /**
   * Close the connection to the server without {@code </stream:stream>}, after everything
   * written before: to the server the client's connection broke, so a stream on which the client
   * enabled XEP-0198 resumption waits for the client to resume it, through another node (§7:
   * "If the stream is not cleanly closed then the server SHOULD consider the stream to be
   * unfinished"). Any other stream ends as after any lost connection.
   */
  record DisconnectUpstream(int stream) implements Action {
    @Override
    public void applyTo(Handler handler) {
      handler.disconnectUpstream(this);
    }

    public DisconnectUpstream() {
      this(0);
    }
  }

  /** Answer the HTTP exchange {@code requestId} with this body. */
  record Respond(long requestId, Body body) implements Action {
    @Override
    public void applyTo(Handler handler) {
      handler.respond(this);
    }
  }

  /**
   * Close the HTTP connection of {@code requestId} without an answer: an insecure request in a
   * secure session (XEP-0124 §19), which must not be able to end the session.
   */
  record Drop(long requestId) implements Action {
    @Override
    public void applyTo(Handler handler) {
      handler.drop(this);
    }
  }

  /** Fire {@code timer} at {@code at} ms, replacing any earlier schedule of the same timer. */
  record Schedule(Timer timer, long at) implements Action {
    @Override
    public void applyTo(Handler handler) {
      handler.schedule(this);
    }
  }

  /** Forget {@code timer}. */
  record Cancel(Timer timer) implements Action {
    @Override
    public void applyTo(Handler handler) {
      handler.cancel(this);
    }
  }

  /**
   * The session is over: forget it. {@code condition} is null for an ordinary end (client
   * terminate or inactivity).
   */
  record EndSession(BindingCondition condition) implements Action {
    @Override
    public void applyTo(Handler handler) {
      handler.endSession(this);
    }
  }
}
