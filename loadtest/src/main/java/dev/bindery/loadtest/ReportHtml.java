package dev.bindery.loadtest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Thread-safe: stateless. Renders a {@link Report} as one self-contained HTML page: summary
 * tables and inline SVG plots (latency percentiles over time, sessions online, throughput,
 * setup time, CPU and memory of the monitored processes). No scripts, no external files.
 */
final class ReportHtml {

  static final int WIDTH = 760;
  static final int HEIGHT = 240;
  private static final int LEFT = 60;
  private static final int RIGHT = 20;
  private static final int TOP = 30;
  private static final int BOTTOM = 40;
  private static final String[] COLORS =
      {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf"};

  /** One line of a chart. */
  record Series(String name, double[] values) {}

  private ReportHtml() {}

  static String write(Report r) {
    StringBuilder h = new StringBuilder(1 << 16);
    h.append("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>")
        .append(esc("Bindery load test: " + r.label())).append("</title>\n<style>")
        .append("body{font-family:system-ui,sans-serif;max-width:820px;margin:2em auto;")
        .append("color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em}")
        .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
        .append("th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}")
        .append(".bad{color:#b00;font-weight:bold}svg{display:block;margin:.5em 0 1.5em}")
        .append("</style></head><body>\n");
    LoadOptions o = r.options();
    h.append("<h1>").append(esc(r.label())).append("</h1>\n<p>")
        .append(esc(o.scenario().flag())).append(" against <code>").append(esc(o.url().toString()))
        .append("</code>, ").append(o.sessions()).append(" sessions, arrival ")
        .append(fmt(o.arrivalRate())).append("/s");
    if (o.scenario() == LoadOptions.Scenario.CHAT) {
      h.append(", ").append(fmt(o.messageRate())).append(" msg/s per user");
    }
    h.append(", steady ").append(fmt(o.duration().toMillis() / 1000.0)).append(" s; started ")
        .append(esc(r.startedAt().toString())).append(", client transport ")
        .append(esc(r.transport())).append(" over ").append(esc(Summary.http(o)))
        .append(".</p>\n");

    Report.Sessions s = r.sessions();
    table(h, List.of("sessions", "target", "started", "peak online", "failed", "dropped",
        "logins", "logouts"), List.of(List.of("", num(s.target()), num(s.started()),
        num(s.peakOnline()), num(s.failed()), num(s.dropped()), num(s.logins()),
        num(s.logouts()))));
    Report.Messages m = r.messages();
    if (m.sent() > 0 || o.scenario() == LoadOptions.Scenario.CHAT) {
      String lost = m.lost() == 0 ? "0" : "<span class='bad'>" + m.lost() + "</span>";
      table(h, List.of("messages", "sent", "delivered", "bounced", "lost"),
          List.of(List.of("", num(m.sent()), num(m.delivered()), num(m.bounced()), lost)));
    }
    List<List<String>> rows = new ArrayList<>();
    r.histograms().forEach((name, p) -> rows.add(List.of(name, num(p.count()), fmt(p.p50()),
        fmt(p.p90()), fmt(p.p99()), fmt(p.p999()), fmt(p.max()), fmt(p.mean()))));
    table(h, List.of("ms", "count", "p50", "p90", "p99", "p99.9", "max", "mean"), rows);

    Report.Steady st = r.steady();
    if (!st.cpuSeconds().isEmpty()) {
      List<List<String>> cpu = new ArrayList<>();
      st.cpuSeconds().forEach((name, sec) -> cpu.add(List.of(name, fmt(sec),
          fmt(st.cpuPercent().get(name)), opt(st.cpuMsPerMessage().get(name)),
          opt(st.cpuMsPerLogin().get(name)), mb(st.rssBytes().getOrDefault(name, -1L)))));
      h.append("<p>Steady phase: ").append(fmt(st.seconds())).append(" s, ")
          .append(st.online()).append(" online at its end, ").append(st.delivered())
          .append(" messages delivered, ").append(st.logins()).append(" logins.</p>\n");
      table(h, List.of("process", "CPU s", "CPU % of a core", "CPU ms / message",
          "CPU ms / login", "RSS MB"), cpu);
    }
    if (!r.heap().isEmpty()) {
      List<List<String>> heap = new ArrayList<>();
      r.heap().forEach((name, hp) -> heap.add(List.of(name, mb(hp.beforeBytes()),
          mb(hp.steadyBytes()), num(hp.online()), num(hp.perSessionBytes()))));
      table(h, List.of("heap after full GC", "before MB", "steady MB", "online",
          "bytes / session"), heap);
    }
    if (!r.errors().isEmpty()) {
      List<List<String>> errs = new ArrayList<>();
      r.errors().forEach((k, v) -> errs.add(List.of(k, num(v),
          r.errorExamples().getOrDefault(k, ""))));
      table(h, List.of("error", "count", "for example"), errs);
    }

    List<Report.Tick> t = r.timeline();
    double[] x = column(t, Report.Tick::t);
    if (o.scenario() == LoadOptions.Scenario.CHAT) {
      h.append(chart("Message delivery latency per second (ms)", x, List.of(
          new Series("p50", column(t, Report.Tick::latencyP50)),
          new Series("p99", column(t, Report.Tick::latencyP99)),
          new Series("max", column(t, Report.Tick::latencyMax)))));
    }
    h.append(chart("Sessions online", x,
        List.of(new Series("online", column(t, k -> k.online())))));
    List<Series> throughput = new ArrayList<>();
    throughput.add(new Series("HTTP requests/s", column(t, k -> k.requests())));
    if (o.scenario() == LoadOptions.Scenario.CHAT) {
      throughput.add(new Series("messages delivered/s", column(t, k -> k.delivered())));
    }
    throughput.add(new Series("logins/s", column(t, k -> k.logins())));
    h.append(chart("Throughput per second", x, throughput));
    h.append(chart("Session setup time per second (ms)", x, List.of(
        new Series("p50", column(t, Report.Tick::setupP50)),
        new Series("p99", column(t, Report.Tick::setupP99)))));
    Set<String> processes = new LinkedHashSet<>();
    t.forEach(k -> processes.addAll(k.rssBytes().keySet()));
    if (!processes.isEmpty()) {
      List<Series> cpu = new ArrayList<>();
      List<Series> rss = new ArrayList<>();
      for (String p : processes) {
        cpu.add(new Series(p, column(t, k -> k.cpuPercent().getOrDefault(p, 0.0))));
        rss.add(new Series(p, column(t, k -> k.rssBytes().getOrDefault(p, 0L) / 1048576.0)));
      }
      h.append(chart("CPU, % of one core", x, cpu));
      h.append(chart("Resident memory (MB)", x, rss));
    }
    h.append("<p>Written by bindery-loadtest; the same data is in the JSON result.</p>\n")
        .append("</body></html>\n");
    return h.toString();
  }

  /** An SVG line chart of {@code series} against {@code x} (seconds). */
  static String chart(String title, double[] x, List<Series> series) {
    return chart(title, x, series, "seconds since start");
  }

  /** An SVG line chart of {@code series} against {@code x}, whose axis says {@code xLabel}. */
  static String chart(String title, double[] x, List<Series> series, String xLabel) {
    double xMax = 1;
    for (double v : x) {
      xMax = Math.max(xMax, v);
    }
    double yMax = 0;
    for (Series s : series) {
      for (double v : s.values()) {
        yMax = Math.max(yMax, v);
      }
    }
    double yTop = niceCeiling(yMax);
    int w = WIDTH - LEFT - RIGHT;
    int hgt = HEIGHT - TOP - BOTTOM;
    StringBuilder svg = new StringBuilder();
    svg.append("<svg xmlns='http://www.w3.org/2000/svg' width='").append(WIDTH)
        .append("' height='").append(HEIGHT).append("' viewBox='0 0 ").append(WIDTH).append(' ')
        .append(HEIGHT).append("' font-family='sans-serif' font-size='11'>\n");
    svg.append("<text x='").append(LEFT).append("' y='16' font-size='13' font-weight='bold'>")
        .append(esc(title)).append("</text>\n");
    for (int i = 0; i <= 4; i++) {
      double v = yTop * i / 4;
      double y = TOP + hgt - hgt * i / 4.0;
      svg.append(String.format(Locale.ROOT,
          "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#ddd'/>"
              + "<text x='%d' y='%.1f' text-anchor='end'>%s</text>\n",
          LEFT, y, LEFT + w, y, LEFT - 4, y + 4, esc(fmt(v))));
    }
    for (int i = 0; i <= 5; i++) {
      double v = xMax * i / 5;
      double px = LEFT + w * i / 5.0;
      svg.append(String.format(Locale.ROOT,
          "<text x='%.1f' y='%d' text-anchor='middle'>%s</text>\n", px, TOP + hgt + 14,
          xMax >= 10 ? fmt(Math.round(v)) : String.format(Locale.ROOT, "%.1f", v)));
    }
    svg.append(String.format(Locale.ROOT,
        "<text x='%d' y='%d' text-anchor='middle'>%s</text>\n", LEFT + w / 2, HEIGHT - 6,
        esc(xLabel)));
    for (int si = 0; si < series.size(); si++) {
      Series s = series.get(si);
      String color = COLORS[si % COLORS.length];
      StringBuilder points = new StringBuilder();
      for (int i = 0; i < x.length && i < s.values().length; i++) {
        double px = LEFT + w * x[i] / xMax;
        double py = TOP + hgt - (yTop == 0 ? 0 : hgt * s.values()[i] / yTop);
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
      }
      svg.append("<polyline fill='none' stroke-width='1.5' stroke='").append(color)
          .append("' points='").append(points.toString().trim()).append("'/>\n");
      int lx = LEFT + 10 + si * 150;
      svg.append(String.format(Locale.ROOT,
          "<rect x='%d' y='%d' width='10' height='10' fill='%s'/>"
              + "<text x='%d' y='%d'>%s</text>\n", lx, TOP - 2, color, lx + 14, TOP + 7,
          esc(s.name())));
    }
    return svg.append("</svg>\n").toString();
  }

  /** The smallest of 1, 2, 2.5, 5 times a power of ten that is at least {@code v}. */
  static double niceCeiling(double v) {
    if (!(v > 0)) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
    for (double step : new double[] {1, 2, 2.5, 5, 10}) {
      if (step * magnitude >= v) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  private static double[] column(List<Report.Tick> ticks, ToDoubleFunction<Report.Tick> f) {
    double[] out = new double[ticks.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = f.applyAsDouble(ticks.get(i));
    }
    return out;
  }

  static void table(StringBuilder h, List<String> head, List<List<String>> rows) {
    h.append("<table><tr>");
    head.forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
    h.append("</tr>\n");
    for (List<String> row : rows) {
      h.append("<tr>");
      row.forEach(c -> h.append("<td>").append(c.startsWith("<span") ? c : esc(c))
          .append("</td>"));
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  static String fmt(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e12) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : Math.abs(v) >= 1
        ? "%.2f" : "%.3f", v);
  }

  private static String opt(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String num(long v) {
    return Long.toString(v);
  }

  private static String mb(long bytes) {
    return bytes < 0 ? "-" : fmt(Math.round(bytes / 1048576.0 * 10) / 10.0);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("'", "&#39;").replace("\"", "&quot;");
  }

  /** For tests: which charts a report has, by title. */
  static Map<String, Integer> chartTitles(String html) {
    Map<String, Integer> out = new LinkedHashMap<>();
    int i = 0;
    while ((i = html.indexOf("font-weight='bold'>", i)) >= 0) {
      int start = i + "font-weight='bold'>".length();
      int end = html.indexOf('<', start);
      out.merge(html.substring(start, end), 1, Integer::sum);
      i = end;
    }
    return out;
  }
}
