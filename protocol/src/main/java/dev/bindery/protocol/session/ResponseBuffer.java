package dev.bindery.protocol.session;

import dev.bindery.protocol.body.Body;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Confined to its session. The most recent responses by rid, resent when a client repeats a
 * request whose response it lost (XEP-0124 §14.3); with acknowledgements, every response the
 * client has not acknowledged yet (§9), up to a bound.
 */
final class ResponseBuffer {

  /** A response and when it was sent, in ms. */
  record Sent(Body body, long at) {}

  private final int capacity;
  private final Map<Long, Sent> responses = new LinkedHashMap<>();

  ResponseBuffer(int capacity) {
    this.capacity = Math.max(1, capacity);
  }

  void put(long rid, Body response, long now) {
    responses.put(rid, new Sent(response, now));
    if (responses.size() > capacity) {
      Iterator<Long> oldest = responses.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
  }

  /** The buffered response to {@code rid}, or null when it is no longer kept. */
  Body get(long rid) {
    Sent sent = responses.get(rid);
    return sent == null ? null : sent.body();
  }

  /** The buffered response to {@code rid} with its time, or null. */
  Sent sent(long rid) {
    return responses.get(rid);
  }

  /** Forgets the responses the client acknowledged: every rid up to {@code ack}. */
  void acknowledge(long ack) {
    responses.keySet().removeIf(rid -> rid <= ack);
  }
}
