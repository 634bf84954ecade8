package dev.bindery.protocol.session;

import dev.bindery.protocol.body.Body;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Confined to its session. The most recent responses by rid, resent when a client repeats a
 * request whose response it lost (XEP-0124 §14.3).
 */
final class ResponseBuffer {

  private final Map<Long, Body> responses;

  ResponseBuffer(int capacity) {
    int bounded = Math.max(1, capacity);
    this.responses = new LinkedHashMap<>(bounded * 2) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, Body> eldest) {
        return size() > bounded;
      }
    };
  }

  void put(long rid, Body response) {
    responses.put(rid, response);
  }

  /** The buffered response to {@code rid}, or null when it is no longer kept. */
  Body get(long rid) {
    return responses.get(rid);
  }
}
