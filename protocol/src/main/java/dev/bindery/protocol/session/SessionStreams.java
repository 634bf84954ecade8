package dev.bindery.protocol.session;

import dev.bindery.protocol.session.Action.CloseUpstream;
import dev.bindery.protocol.session.Action.DisconnectUpstream;
import dev.bindery.protocol.session.Action.SendUpstream;
import dev.bindery.protocol.xmpp.Bounce;
import dev.bindery.protocol.xmpp.Stanza;
import dev.bindery.protocol.xmpp.StreamHeader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Confined to its session. A session's XMPP streams (XEP-0124 §16), by index and by name, and the
 * order in which their news reaches the client: in turn, so that one busy stream cannot starve
 * the others.
 */
final class SessionStreams implements Iterable<SessionStream> {

  private final List<SessionStream> streams = new ArrayList<>();
  private int nextToServe;

  /**
   * Adds a stream to {@code domain}; the first one added is the stream of the creation request.
   * {@code xmppVersion} is the client's {@code xmpp:version}, or null.
   */
  SessionStream add(String name, String domain, String from, String xmppVersion, String lang) {
    // XEP-0206 §3: the client's xmpp:version becomes the stream version; we speak 1.0
    StreamHeader header = new StreamHeader(domain, from, xmppVersion == null ? null : "1.0", lang);
    SessionStream s = new SessionStream(streams.size(), name, domain, header);
    streams.add(s);
    return s;
  }

  SessionStream first() {
    return streams.get(0);
  }

  /** The stream with this index, or null. */
  SessionStream get(int index) {
    return index >= 0 && index < streams.size() ? streams.get(index) : null;
  }

  /** The open stream with this name, or null. */
  SessionStream named(String name) {
    for (SessionStream s : streams) {
      if (s.name.equals(name) && !s.gone()) {
        return s;
      }
    }
    return null;
  }

  /** True when a stream ever had this name (it may have closed since). */
  boolean everNamed(String name) {
    for (SessionStream s : streams) {
      if (s.name.equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** Number of streams ever opened. */
  int size() {
    return streams.size();
  }

  /** Number of streams whose server side is still up. */
  int live() {
    int n = 0;
    for (SessionStream s : streams) {
      if (s.live()) {
        n++;
      }
    }
    return n;
  }

  /** Elements waiting for the client, over all streams. */
  int buffered() {
    int n = 0;
    for (SessionStream s : streams) {
      n += s.outbound.size();
    }
    return n;
  }

  /**
   * The stream whose news the next response carries: for an add-stream request ({@code announce}
   * ≥ 0) only its own stream, since its response names it; otherwise the next stream with news,
   * in turn. Null when there is none.
   */
  SessionStream nextWithNews(int announce) {
    if (announce >= 0) {
      SessionStream own = streams.get(announce);
      return own.hasNews() ? own : null;
    }
    for (int i = 0; i < streams.size(); i++) {
      SessionStream s = streams.get((nextToServe + i) % streams.size());
      if (s.hasNews()) {
        nextToServe = (s.index + 1) % streams.size();
        return s;
      }
    }
    return null;
  }

  /** True when some stream has news for the client. */
  boolean anyNews() {
    for (SessionStream s : streams) {
      if (s.hasNews()) {
        return true;
      }
    }
    return false;
  }

  /** Sends {@code payloads} to {@code target}, or to every live stream when it is null (§16). */
  void send(SessionStream target, List<Stanza> payloads, Outbox actions) {
    if (payloads.isEmpty()) {
      return;
    }
    for (SessionStream s : streams) {
      if (s.live() && (target == null || target == s)) {
        actions.add(new SendUpstream(s.index, payloads));
      }
    }
  }

  /**
   * Closes every live stream, first bouncing to the server what the client will not collect
   * (XEP-0206 §7).
   */
  void closeAll(Outbox actions) {
    for (SessionStream s : streams) {
      if (s.live()) {
        List<Stanza> bounces = Bounce.of(s.drain());
        if (!bounces.isEmpty()) {
          actions.add(new SendUpstream(s.index, bounces));
        }
        actions.add(new CloseUpstream(s.index));
        s.close();
      }
    }
  }

  /**
   * Leaves every live stream unfinished: its connection closes without {@code </stream:stream>},
   * so that the server keeps a stream the client may resume (XEP-0198) through another
   * connection manager. Nothing is bounced: a bounce would be a stanza from the client, counted
   * by the server's stream management, and the server sends again on resumption what the
   * client did not acknowledge.
   */
  void disconnectAll(Outbox actions) {
    for (SessionStream s : streams) {
      if (s.live()) {
        s.drain();
        actions.add(new DisconnectUpstream(s.index));
        s.close();
      }
    }
  }

  @Override
  public Iterator<SessionStream> iterator() {
    return streams.iterator();
  }
}
