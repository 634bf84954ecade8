package dev.bindery.server.upstream;

import dev.bindery.protocol.xmpp.Stanza;
import java.util.List;

/** Called on the upstream channel's event loop, which is also the session's. */
public interface UpstreamListener {

  /** The {@link #upstreamClosed} reason when the server ended its stream with its closing tag. */
  String STREAM_CLOSED_BY_SERVER = "server closed the stream";

  /** The server opened its stream. */
  void upstreamOpened(String streamId, String from, String version);

  /** Top-level elements from one read, in order. */
  void upstreamReceived(List<Stanza> stanzas);

  /**
   * The server sent {@code <stream:error/>}; {@code before} are the elements of the same read
   * that came ahead of it, not delivered yet, so the client gets them together (XEP-0206 §6).
   */
  void upstreamStreamError(List<Stanza> before, Stanza error);

  /**
   * The server broke the rules of XML or XMPP (malformed XML, an element over the size limit);
   * the connection is being closed. Nothing else comes after this.
   */
  void upstreamViolation(String detail);

  /** The connection failed or closed; called at most once, after which nothing else comes. */
  void upstreamClosed(String reason);

  /**
   * True while the session has room for more from the server. Asked after each read: false
   * stops reading (TCP backpressure on the server) until {@link UpstreamStream#resume()}.
   */
  default boolean acceptsMore() {
    return true;
  }

  /**
   * The connection to the server can take more writes again: what the session sent has gone
   * out, or the stream became ready. A transport that stopped reading its client while {@link
   * UpstreamStream#isWritable()} was false reads again.
   */
  default void upstreamWritable() {}
}
