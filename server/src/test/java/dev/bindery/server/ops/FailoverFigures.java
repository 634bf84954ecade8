package dev.bindery.server.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Immutable. What one failover scenario measured on some clients: messages sent, delivered
 * (de-duplicated), lost and duplicated on their routes, reconnections per client, and recovery
 * times, from the client seeing the failure to its stream working again.
 */
record FailoverFigures(String scenario, String server, DeliveryLedger.Figures messages,
    Map<String, Integer> reconnects, List<Duration> recoveries, int failedResumes) {

  /** The figures of {@code clients}: their reconnections, and the messages they sent. */
  static FailoverFigures of(String scenario, String server, DeliveryLedger ledger,
      Collection<SmBoshClient> clients) {
    List<String> names = clients.stream().map(SmBoshClient::name).toList();
    Map<String, Integer> reconnects = new TreeMap<>();
    List<Duration> recoveries = new ArrayList<>();
    int failed = 0;
    for (SmBoshClient c : clients) {
      reconnects.put(c.name(), c.reconnects().size());
      c.reconnects().forEach(r -> recoveries.add(r.recovery()));
      failed += c.failedResumes();
    }
    recoveries.sort(null);
    return new FailoverFigures(scenario, server,
        ledger.figures(r -> names.contains(r.from())), reconnects, List.copyOf(recoveries),
        failed);
  }

  Duration maxRecovery() {
    return recoveries.isEmpty() ? Duration.ZERO : recoveries.get(recoveries.size() - 1);
  }

  Duration medianRecovery() {
    return recoveries.isEmpty() ? Duration.ZERO : recoveries.get((recoveries.size() - 1) / 2);
  }

  /** The header of {@link #row()}. */
  static String header() {
    return "| scenario | server | sent | delivered | lost | duplicates | reconnects per client"
        + " | failed resumes | recovery max | recovery median |\n"
        + "|---|---|---:|---:|---:|---:|---|---:|---:|---:|";
  }

  /** A Markdown table row, as docs/reliability.md shows them. */
  String row() {
    return "| " + scenario + " | " + server + " | " + messages.sent() + " | "
        + messages.delivered() + " | " + messages.lost() + " | " + messages.duplicates() + " | "
        + reconnects.values() + " | " + failedResumes + " | " + maxRecovery().toMillis()
        + " ms | " + medianRecovery().toMillis() + " ms |";
  }

  @Override
  public String toString() {
    return scenario + " on " + server + ": sent " + messages.sent() + ", delivered "
        + messages.delivered() + ", lost " + messages.lost() + " " + messages.missing()
        + ", duplicates " + messages.duplicates() + ", reconnects " + reconnects
        + ", failed resumes " + failedResumes + ", recovery max " + maxRecovery().toMillis()
        + " ms, median " + medianRecovery().toMillis() + " ms (" + recoveries.size() + ")";
  }
}
