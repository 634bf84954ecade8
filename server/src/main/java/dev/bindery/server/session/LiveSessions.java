package dev.bindery.server.session;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * Thread-safe: a concurrent map, no lock. The live sessions by sid. Made first at start, so that
 * the metrics and the admission gate, which count the sessions, and the {@link SessionRegistry},
 * which fills and empties it, are each given it when they are constructed.
 */
public final class LiveSessions implements IntSupplier {

  private final ConcurrentHashMap<String, SessionRunner> bySid = new ConcurrentHashMap<>();

  /** Number of live sessions. */
  public int size() {
    return bySid.size();
  }

  /** Number of live sessions, for gauges and limits. */
  @Override
  public int getAsInt() {
    return size();
  }

  SessionRunner get(String sid) {
    return bySid.get(sid);
  }

  void add(SessionRunner runner) {
    bySid.put(runner.sid(), runner);
  }

  void remove(SessionRunner runner) {
    bySid.remove(runner.sid(), runner);
  }

  Collection<SessionRunner> all() {
    return bySid.values();
  }
}
