package dev.bindery.server.it;

import java.util.List;

/**
 * Immutable. Compares what the XMPP server wrote to Bindery for one session with what Bindery
 * delivered to that session's client, both as {@link XmppElements#canonical canonical}
 * elements in order: the server's in the order of the TCP stream, the client's in the order of
 * the requests' {@code rid}s (the order XEP-0124 gives a session's bodies).
 *
 * <p>Bindery promises that the client receives every element, once, in the server's order. So
 * the delivered list must be the sent list or, while elements are still on their way, a prefix
 * of it: a drop, a duplicate, a reorder or an element the server never sent shows as a
 * {@link Kind#DIVERGED divergence} at the first index where the lists differ, or as {@link
 * Kind#EXTRA} when the client got more than the server sent.
 *
 * @param kind     the verdict
 * @param index    the first index at which the lists differ, or the size of the shorter one
 * @param sent     the server's element there, or {@code null} past its end
 * @param received the client's element there, or {@code null} past its end
 */
record DeliveryCheck(Kind kind, int index, String sent, String received) {

  /** How the delivered list relates to the sent list. */
  enum Kind {
    /** The same elements in the same order. */
    COMPLETE,
    /** A strict prefix: the rest may still be on its way. */
    PENDING,
    /** The lists differ at {@link #index}: a drop, duplicate, reorder or change. */
    DIVERGED,
    /** The client received everything the server sent, and more. */
    EXTRA
  }

  static DeliveryCheck compare(List<String> sentByServer, List<String> delivered) {
    int common = Math.min(sentByServer.size(), delivered.size());
    for (int i = 0; i < common; i++) {
      if (!sentByServer.get(i).equals(delivered.get(i))) {
        return new DeliveryCheck(Kind.DIVERGED, i, sentByServer.get(i), delivered.get(i));
      }
    }
    if (sentByServer.size() == delivered.size()) {
      return new DeliveryCheck(Kind.COMPLETE, common, null, null);
    }
    if (delivered.size() < sentByServer.size()) {
      return new DeliveryCheck(Kind.PENDING, common, sentByServer.get(common), null);
    }
    return new DeliveryCheck(Kind.EXTRA, common, null, delivered.get(common));
  }

  boolean complete() {
    return kind == Kind.COMPLETE;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case COMPLETE -> "complete: " + index + " elements, same order";
      case PENDING -> "pending: " + index + " delivered, next sent " + sent;
      case DIVERGED -> "diverged at " + index + ": sent " + sent + ", delivered " + received;
      case EXTRA -> "extra at " + index + ": delivered " + received + ", never sent";
    };
  }
}
