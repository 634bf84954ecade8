package dev.bindery.server.websocket;

import dev.bindery.server.reload.SessionSweep;
import dev.bindery.server.upstream.UpstreamPolicy;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Thread-safe: a concurrent set, no lock. The XMPP streams open over WebSocket, for the session
 * limit, drain and reload; each stream adds itself when it is let in and removes itself when it
 * ends.
 */
public final class WebSocketSessions implements SessionSweep {

  private final Set<XmppWebSocket> open = ConcurrentHashMap.newKeySet();

  /** Number of streams let in and not ended. */
  public int size() {
    return open.size();
  }

  void add(XmppWebSocket socket) {
    open.add(socket);
  }

  void remove(XmppWebSocket socket) {
    open.remove(socket);
  }

  /**
   * Ends every stream for the drain: with {@code <close see-other-uri/>} when {@code
   * seeOtherUri} is set, else with a {@code system-shutdown} stream error; the server connections
   * close without {@code </stream:stream>}, so stream management can resume elsewhere. Returns
   * at once.
   */
  public void shutdownAll(String seeOtherUri) {
    for (XmppWebSocket socket : open) {
      socket.shutdown(seeOtherUri);
    }
  }

  /**
   * Ends with {@code host-gone} every stream to a domain {@code policy} no longer serves; waits up
   * to {@code patience} for the streams' event loops and returns how many ended.
   */
  @Override
  public int endSessionsNotServedBy(UpstreamPolicy policy, Duration patience) {
    List<Future<Boolean>> decisions = new ArrayList<>();
    for (XmppWebSocket socket : open) {
      decisions.add(socket.endUnlessServed(policy));
    }
    return SessionSweep.ended(decisions, patience);
  }
}
