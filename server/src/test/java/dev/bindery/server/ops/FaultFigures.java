package dev.bindery.server.ops;

/**
 * Immutable. What one fault of the XMPP server measured, as a row of the table in
 * docs/reliability.md: messages per phase (before the fault, sent around it, after recovery),
 * what the clients saw, how long detection and recovery took, and the node's vitals before the
 * test and after its sessions ended.
 *
 * @param before    messages sent up to a second before the fault
 * @param around    messages sent from then until the chat flowed again
 * @param after     messages sent after recovery
 * @param saw       what the clients saw, in words (terminal conditions, empty answers)
 * @param detection e.g. "412 ms max": fault to each client's terminal body
 * @param recovery  e.g. "1.2 s": server back to clients chatting again
 */
record FaultFigures(String fault, String server, DeliveryLedger.Figures before,
    DeliveryLedger.Figures around, DeliveryLedger.Figures after, String saw, String detection,
    String recovery, NodeVitals baseline, NodeVitals afterwards) {

  static String header() {
    return "| fault | server | before: sent / delivered | around the fault: sent / delivered"
        + " | after: sent / delivered | clients saw | fault to terminal body | recovery"
        + " | sessions, heap, descriptors, threads: baseline → after |\n"
        + "|---|---|---:|---:|---:|---|---:|---:|---|";
  }

  String row() {
    return "| " + fault + " | " + server + " | " + pair(before) + " | " + pair(around) + " | "
        + pair(after) + " | " + saw + " | " + detection + " | " + recovery + " | "
        + brief(baseline) + " → " + brief(afterwards) + " |";
  }

  private static String pair(DeliveryLedger.Figures f) {
    return f.sent() + " / " + f.delivered();
  }

  private static String brief(NodeVitals v) {
    return String.format("%d, %.1f MiB, %d, %d", v.sessions(), v.heapAfterGc() / 1048576.0,
        v.descriptors(), v.threads());
  }

  @Override
  public String toString() {
    return fault + " on " + server + ": before " + pair(before) + ", around " + pair(around)
        + " " + around.missing() + ", after " + pair(after) + " " + after.missing() + "; saw "
        + saw + "; detection " + detection + "; recovery " + recovery + "; vitals " + baseline
        + " -> " + afterwards;
  }
}
