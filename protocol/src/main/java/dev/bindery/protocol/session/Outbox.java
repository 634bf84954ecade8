package dev.bindery.protocol.session;

import java.util.ArrayList;
import java.util.List;

/**
 * Confined to its session. The actions the session's parts decide while it handles one event,
 * in the order decided; the session takes them all at the end and returns them to its runner.
 * The parts can only add: nothing else reads or reorders what another part decided.
 */
final class Outbox {

  private final List<Action> actions = new ArrayList<>();

  void add(Action action) {
    actions.add(action);
  }

  /** Everything added since the last call, in order; the outbox is empty afterwards. */
  List<Action> take() {
    List<Action> taken = List.copyOf(actions);
    actions.clear();
    return taken;
  }
}
