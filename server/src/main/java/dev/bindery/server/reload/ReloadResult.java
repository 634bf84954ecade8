package dev.bindery.server.reload;

import java.util.List;

/**
 * Immutable. A reload that was applied: what changed, and how many sessions it ended.
 *
 * @param diff          what the new configuration changed
 * @param sessionsEnded live sessions ended with {@code host-gone}
 */
public record ReloadResult(ReloadDiff diff, int sessionsEnded) {

  /** A few lines of plain text for the operator, as {@code POST /reload} answers. */
  public String summary() {
    return "reloaded\n"
        + "domains added: " + list(diff.added()) + "\n"
        + "domains retired: " + list(diff.retired()) + "\n"
        + "domains changed: " + list(diff.changed()) + "\n"
        + "sessions ended with host-gone: " + sessionsEnded + "\n"
        + "needs a restart, not applied: " + list(diff.restartOnly()) + "\n";
  }

  private static String list(List<String> items) {
    return items.isEmpty() ? "none" : String.join(", ", items);
  }
}
