package dev.bindery.protocol.session;

import dev.bindery.protocol.session.Event.RequestArrived;
import java.util.Collection;
import java.util.TreeMap;

/**
 * Confined to its session. Puts requests back in rid order (XEP-0124 §14.2): the next rid is
 * processed at once, a rid further ahead within the window waits for the ones before it.
 *
 * <pre>
 *   processed ... | next | next+1 ... next+size-1 | beyond
 *     REPEAT        NEXT   EARLY (held back)        BEYOND (item-not-found)
 * </pre>
 */
final class RequestWindow {

  /** Where a rid falls relative to the window. */
  enum Position { REPEAT, NEXT, EARLY, BEYOND }

  private final int size;
  private final TreeMap<Long, RequestArrived> early = new TreeMap<>();
  private long next;

  /** A window of {@code size} rids after the creation request's rid. */
  RequestWindow(long creationRid, int size) {
    this.size = Math.max(1, size);
    this.next = creationRid + 1;
  }

  Position locate(long rid) {
    if (rid < next) {
      return Position.REPEAT;
    }
    if (rid == next) {
      return Position.NEXT;
    }
    return rid - next < size ? Position.EARLY : Position.BEYOND;
  }

  /** The highest rid received with every lower rid received too (the §9 {@code ack}). */
  long lastInOrder() {
    return next - 1;
  }

  /** Marks the next rid processed. */
  void advance() {
    next++;
  }

  /** Keeps an early request; returns the one it replaces (same rid sent twice), or null. */
  RequestArrived holdBack(long rid, RequestArrived request) {
    return early.put(rid, request);
  }

  /** True when a request with a rid above {@code rid} is held back. */
  boolean hasHeldBackAfter(long rid) {
    return early.higherKey(rid) != null;
  }

  /** True when a request with {@code rid} is already held back (this one is a repeat). */
  boolean isHeldBack(long rid) {
    return early.containsKey(rid);
  }

  /** Removes and returns the request held back for {@code rid}, or null. */
  RequestArrived release(long rid) {
    return early.remove(rid);
  }

  /** Removes and returns the held-back request for the next rid, or null if it has not come. */
  RequestArrived takeNext() {
    return early.remove(next);
  }

  /** Removes and returns every held-back request. */
  Collection<RequestArrived> drain() {
    var all = early.values().stream().toList();
    early.clear();
    return all;
  }
}
