package dev.bindery.loadtest;

import java.util.Locale;

/** Thread-safe: stateless. The few lines a run prints at its end. */
final class Summary {

  private Summary() {}

  static String of(Report r) {
    StringBuilder s = new StringBuilder();
    Report.Sessions ss = r.sessions();
    s.append(String.format(Locale.ROOT,
        "%s: sessions started %d, peak online %d, failed %d, dropped %d, logins %d%n",
        r.label(), ss.started(), ss.peakOnline(), ss.failed(), ss.dropped(), ss.logins()));
    s.append(String.format(Locale.ROOT, "%s: %d connections opened%n", http(r.options()),
        ss.connections()));
    Report.Messages m = r.messages();
    if (m.sent() > 0) {
      s.append(String.format(Locale.ROOT,
          "messages: sent %d, delivered %d, bounced %d, LOST %d%n", m.sent(), m.delivered(),
          m.bounced(), m.lost()));
    }
    r.histograms().forEach((name, p) -> {
      if (p.count() > 0) {
        s.append(String.format(Locale.ROOT,
            "%-17s n=%-8d p50 %8.3f  p90 %8.3f  p99 %8.3f  p99.9 %8.3f  max %9.3f ms%n",
            name, p.count(), p.p50(), p.p90(), p.p99(), p.p999(), p.max()));
      }
    });
    Report.Steady st = r.steady();
    st.cpuSeconds().forEach((name, sec) -> s.append(String.format(Locale.ROOT,
        "cpu %-12s %.2f s in %.0f s steady (%.1f%% of a core)%s%s%n", name, sec, st.seconds(),
        st.cpuPercent().get(name),
        st.cpuMsPerMessage().containsKey(name)
            ? String.format(Locale.ROOT, ", %.4f ms/message", st.cpuMsPerMessage().get(name))
            : "",
        st.cpuMsPerLogin().containsKey(name)
            ? String.format(Locale.ROOT, ", %.3f ms/login", st.cpuMsPerLogin().get(name))
            : "")));
    r.heap().forEach((name, h) -> s.append(String.format(Locale.ROOT,
        "heap %s: %.1f MB before, %.1f MB with %d online: %d bytes/session%n", name,
        h.beforeBytes() / 1048576.0, h.steadyBytes() / 1048576.0, h.online(),
        h.perSessionBytes())));
    if (!r.errors().isEmpty()) {
      s.append("errors: ").append(r.errors()).append('\n');
      r.errorExamples().forEach((k, v) -> s.append("  ").append(k).append(": ").append(v)
          .append('\n'));
    }
    return s.toString();
  }

  /** The run's HTTP, e.g. {@code HTTP/1.1} or {@code HTTP/2 (h2c, 4 shared connections)}. */
  static String http(LoadOptions o) {
    return switch (o.http()) {
      case HTTP_1_1 -> "HTTP/1.1";
      case HTTP_2 -> "HTTP/2 (h2c, " + o.h2Connections() + " shared connection"
          + (o.h2Connections() == 1 ? ")" : "s)");
    };
  }
}
