package dev.bindery.protocol.session;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.xmpp.Namespaces;
import dev.bindery.protocol.xmpp.Stanza;
import dev.bindery.protocol.xmpp.StreamHeader;
import java.util.ArrayList;
import java.util.List;

/**
 * Confined to its session. One of a session's XMPP streams to the server (XEP-0124 §16): its
 * name, its header, and the elements from the server the client has not collected yet.
 *
 * <pre>
 *   LIVE ──server fails──▶ FAILED (the client is told, with the stream's name) ──▶ GONE
 *     └──────────client closes it, or the session ends─────────────────────────────▲
 * </pre>
 */
final class SessionStream {

  enum State { LIVE, FAILED, GONE }

  final int index;
  final String name;
  final String domain;
  final StreamHeader header;
  final List<Stanza> outbound = new ArrayList<>();
  State state = State.LIVE;
  /** Once FAILED: the condition the client learns with this stream's name. */
  BindingCondition failure;
  /** The server's id for the stream, from its first header. */
  String authid;

  SessionStream(int index, String name, String domain, StreamHeader header) {
    this.index = index;
    this.name = name;
    this.domain = domain;
    this.header = header;
  }

  boolean live() {
    return state == State.LIVE;
  }

  /** True when there is something to tell the client: elements, or that the stream failed. */
  boolean hasNews() {
    return state != State.GONE && (!outbound.isEmpty() || state == State.FAILED);
  }

  /**
   * Removes and returns the elements for the client's next body. XEP-0206 §2.1: a body SHOULD
   * hold either the stream features, or one SASL element, or stanzas; so features and SASL
   * elements travel alone and a run of stanzas stops before either. A failed stream's last body
   * takes everything left, its error last (§6: the error after any stanzas before it).
   */
  List<Stanza> drain() {
    int n = state == State.FAILED ? outbound.size() : nextBodyLength();
    List<Stanza> taken = List.copyOf(outbound.subList(0, n));
    outbound.subList(0, n).clear();
    return taken;
  }

  private int nextBodyLength() {
    if (outbound.isEmpty() || travelsAlone(outbound.get(0))) {
      return Math.min(1, outbound.size());
    }
    int n = 1;
    while (n < outbound.size() && !travelsAlone(outbound.get(n))) {
      n++;
    }
    return n;
  }

  private static boolean travelsAlone(Stanza s) {
    return Namespaces.SASL.equals(s.namespace())
        || (Namespaces.STREAM.equals(s.namespace()) && "features".equals(s.localName()));
  }
}
