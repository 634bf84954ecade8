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
 *
 * <p>The state changes only through {@link #fail} and {@link #close}, which refuse any other
 * move.
 */
final class SessionStream {

  enum State { LIVE, FAILED, GONE }

  final int index;
  final String name;
  final String domain;
  final StreamHeader header;
  final List<Stanza> outbound = new ArrayList<>();
  private State state = State.LIVE;
  /** Once FAILED: the condition the client learns with this stream's name. */
  private BindingCondition failure;
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

  /** FAILED: the server side failed and the client has not been told yet. */
  boolean failed() {
    return state == State.FAILED;
  }

  boolean gone() {
    return state == State.GONE;
  }

  /** The condition the client learns with this stream's name; once {@link #failed()}. */
  BindingCondition failure() {
    return failure;
  }

  /** LIVE to FAILED: the server side failed; the client is to learn {@code condition}. */
  void fail(BindingCondition condition) {
    if (state != State.LIVE) {
      throw new IllegalStateException("stream " + name + " cannot fail when " + state);
    }
    state = State.FAILED;
    failure = condition;
  }

  /** To GONE: closed by the client, ended with the session, or its failure told. */
  void close() {
    if (state == State.GONE) {
      throw new IllegalStateException("stream " + name + " is already gone");
    }
    state = State.GONE;
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
