package dev.bindery.loadtest;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Thread-safe: stateless. Renders a {@link SoakReport} as one self-contained HTML page: the
 * verdict, the comparison with the baseline, the messages and logins, and a plot per quantity
 * over the run (live sessions, heap after GC, resident memory, descriptors, threads, traffic).
 */
final class SoakReportHtml {

  private static final String MINUTES = "minutes since start";

  private SoakReportHtml() {}

  static String write(SoakReport r) {
    SoakOptions o = r.options();
    StringBuilder h = new StringBuilder(1 << 15);
    h.append("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>")
        .append(ReportHtml.esc("Bindery soak: " + o.label())).append("</title>\n<style>")
        .append("body{font-family:system-ui,sans-serif;max-width:820px;margin:2em auto;")
        .append("color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em}")
        .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
        .append("th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}")
        .append(".pass{color:#070;font-weight:bold}.bad{color:#b00;font-weight:bold}")
        .append("svg{display:block;margin:.5em 0 1.5em}</style></head><body>\n");
    h.append("<h1>Soak: ").append(ReportHtml.esc(o.label())).append("</h1>\n<p>")
        .append(o.sessions()).append(" users chatting (").append(ReportHtml.fmt(o.messageRate()))
        .append(" msg/s each) and a churn of ").append(ReportHtml.fmt(o.churnRate()))
        .append(" logins/s (each online ").append(ReportHtml.fmt(o.churnLinger().toMillis()
            / 1000.0)).append(" s) for ").append(ReportHtml.fmt(o.duration().toSeconds() / 60.0))
        .append(" min against <code>").append(ReportHtml.esc(o.url().toString()))
        .append("</code>, started ").append(ReportHtml.esc(r.startedAt().toString()))
        .append("; the node sampled every ")
        .append(ReportHtml.fmt(o.sampleEvery().toMillis() / 1000.0)).append(" s.</p>\n");
    h.append("<p id='verdict' class='").append(r.passed() ? "pass'>Back to baseline, nothing lost"
        : "bad'>Not back to baseline, or messages lost").append("</p>\n");
    List<List<String>> checks = r.checks().stream().map(c -> List.of(c.what(), c.baseline(),
        c.after(), c.allowed(), c.passed() ? "yes" : "<span class='bad'>no</span>")).toList();
    ReportHtml.table(h, List.of("after the run", "baseline", "after", "allowed", "passed"),
        checks);
    h.append("<p>Resident memory ").append(SoakReport.mib(r.baseline().rssBytes()))
        .append(" before, ").append(SoakReport.mib(r.last().rssBytes()))
        .append(" after (the JVM keeps heap it has committed); heap after GC changed by ")
        .append(String.format(java.util.Locale.ROOT, "%+.1f MiB", r.heapDrift() / 1048576.0))
        .append(" from the first to the last third of the steady phase; the node ended every"
            + " session ").append(r.settleSeconds() < 0 ? "<span class='bad'>not within --settle"
            + "</span>" : ReportHtml.fmt(r.settleSeconds()) + " s after the run").append(".</p>\n");
    Report.Messages m = r.chat().messages();
    Report.Sessions chat = r.chat().sessions();
    Report.Sessions churn = r.churn().sessions();
    ReportHtml.table(h, List.of("traffic", "sent", "delivered", "bounced", "lost", "logins",
        "failed", "dropped"), List.of(
        List.of("chat", num(m.sent()), num(m.delivered()), num(m.bounced()), lost(m.lost()),
            num(chat.logins()), num(chat.failed()), num(chat.dropped())),
        List.of("churn", "-", "-", "-", "-", num(churn.logins()), num(churn.failed()),
            num(churn.dropped()))));

    List<SoakReport.Sample> s = r.samples();
    double[] x = column(s, SoakReport.Sample::minutes);
    h.append(ReportHtml.chart("Live sessions", x, List.of(
        new ReportHtml.Series("Bindery's count", column(s, k -> k.node().sessions())),
        new ReportHtml.Series("chatting online", column(s, SoakReport.Sample::chatOnline)),
        new ReportHtml.Series("churning online", column(s, SoakReport.Sample::churnOnline))),
        MINUTES));
    h.append(ReportHtml.chart("Heap after full GC (MiB)", x, List.of(new ReportHtml.Series(
        "heap after GC", column(s, k -> k.node().heapBytes() / 1048576.0))), MINUTES));
    h.append(ReportHtml.chart("Resident memory (MiB)", x, List.of(new ReportHtml.Series("RSS",
        column(s, k -> k.node().rssBytes() / 1048576.0))), MINUTES));
    h.append(ReportHtml.chart("Open descriptors", x, List.of(new ReportHtml.Series(
        "descriptors", column(s, k -> k.node().descriptors()))), MINUTES));
    h.append(ReportHtml.chart("Threads", x, List.of(new ReportHtml.Series("threads",
        column(s, k -> k.node().threads()))), MINUTES));
    h.append(ReportHtml.chart("Traffic per minute", x, List.of(
        new ReportHtml.Series("messages delivered", perMinute(s, SoakReport.Sample::delivered)),
        new ReportHtml.Series("churn logins", perMinute(s, SoakReport.Sample::churnLogins))),
        MINUTES));
    h.append("<p>Written by bindery-loadtest soak; the same data is in the JSON result.</p>\n")
        .append("</body></html>\n");
    return h.toString();
  }

  private static double[] column(List<SoakReport.Sample> samples,
      ToDoubleFunction<SoakReport.Sample> f) {
    return samples.stream().mapToDouble(f).toArray();
  }

  /** The growth of a running count between samples, per minute. */
  private static double[] perMinute(List<SoakReport.Sample> samples,
      ToDoubleFunction<SoakReport.Sample> count) {
    double[] out = new double[samples.size()];
    for (int i = 1; i < out.length; i++) {
      double minutes = samples.get(i).minutes() - samples.get(i - 1).minutes();
      out[i] = minutes > 0 ? (count.applyAsDouble(samples.get(i))
          - count.applyAsDouble(samples.get(i - 1))) / minutes : 0;
    }
    return out;
  }

  private static String lost(long lost) {
    return lost == 0 ? "0" : "<span class='bad'>" + lost + "</span>";
  }

  private static String num(long n) {
    return Long.toString(n);
  }
}
