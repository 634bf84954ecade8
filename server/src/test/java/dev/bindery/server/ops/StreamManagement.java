package dev.bindery.server.ops;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Thread-safe: every method is synchronized. A client's XEP-0198 (urn:xmpp:sm:3) counters: how
 * many stanzas it has handled from the server ({@code h}), and the stanzas it sent that the
 * server has not acknowledged yet, numbered from 1 since {@code <enable/>}. The server's
 * {@code <a h/>} or {@code <resumed h/>} says how many of ours it handled; the rest go again
 * after a resumption, in order, and keep their numbers (the server counts on from its h).
 */
final class StreamManagement {

  static final String NS = "urn:xmpp:sm:3";
  static final String REQUEST = "<r xmlns='" + NS + "'/>";

  /** A stanza the server has not acknowledged, and its number. */
  private record Unacked(long number, String xml) {}

  private final Deque<Unacked> unacked = new ArrayDeque<>();
  private long handled;
  private long sent;
  private long acked;

  /** A stanza from the server was handled. */
  synchronized void handledOne() {
    handled++;
  }

  /** The stanzas handled from the server: the h of {@code <a/>} and {@code <resume/>}. */
  synchronized long handled() {
    return handled;
  }

  /** The answer to the server's {@code <r/>}. */
  synchronized String answer() {
    return "<a xmlns='" + NS + "' h='" + handled + "'/>";
  }

  /** Numbers a stanza going to the server and keeps it until the server acknowledges it. */
  synchronized void sending(String xml) {
    unacked.addLast(new Unacked(++sent, xml));
  }

  /** The server's {@code <a h/>}: forgets the stanzas it handled. An older, lower h is ignored. */
  synchronized void acknowledged(long h) {
    if (h > sent) {
      throw new IllegalStateException("server acknowledged " + h + " stanzas, only " + sent
          + " were sent");
    }
    acked = Math.max(acked, h);
    while (!unacked.isEmpty() && unacked.peekFirst().number() <= acked) {
      unacked.removeFirst();
    }
  }

  /**
   * The server's {@code <resumed h/>}: forgets what it handled and returns what it did not, to
   * be sent again, in order.
   */
  synchronized List<String> resumed(long h) {
    acknowledged(h);
    List<String> again = new ArrayList<>();
    for (Unacked u : unacked) {
      again.add(u.xml());
    }
    return again;
  }

  /**
   * Stream management starts over on a new stream (after {@code <failed/>}): the counters reset.
   * Returns the stanzas never acknowledged, which a client may send again on the new stream.
   */
  synchronized List<String> restart() {
    List<String> again = new ArrayList<>();
    for (Unacked u : unacked) {
      again.add(u.xml());
    }
    unacked.clear();
    handled = 0;
    sent = 0;
    acked = 0;
    return again;
  }

  /** Stanzas sent and not acknowledged yet. */
  synchronized int unackedCount() {
    return unacked.size();
  }
}
