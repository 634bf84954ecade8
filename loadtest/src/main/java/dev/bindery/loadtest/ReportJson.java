package dev.bindery.loadtest;

import dev.bindery.client.BoshClientConfig;
import java.util.Locale;
import java.util.Map;

/**
 * Thread-safe: stateless. Writes a {@link Report} as JSON: one object with {@code schema}, the
 * run's {@code config}, the summaries, and a {@code timeline} of one entry per second. Numbers
 * are plain JSON numbers (milliseconds, bytes, counts); no field is ever left out, an unknown
 * value is -1.
 */
final class ReportJson {

  private ReportJson() {}

  static String write(Report r) {
    Json j = new Json();
    j.begin();
    j.field("schema", "bindery-loadtest/" + Report.SCHEMA_VERSION);
    j.field("label", r.label());
    j.field("startedAt", r.startedAt().toString());
    j.field("transport", r.transport());
    j.field("http", r.options().http().flag());
    LoadOptions o = r.options();
    j.name("config").begin();
    j.field("url", o.url().toString());
    j.field("domain", o.domain());
    j.field("route", o.route());
    j.field("users", o.userPattern());
    j.field("scenario", o.scenario().flag());
    j.field("sessions", o.sessions());
    j.field("arrivalRate", o.arrivalRate());
    j.field("messageRate", o.messageRate());
    j.field("durationSeconds", o.duration().toMillis() / 1000.0);
    j.field("waitSeconds", o.waitSeconds());
    j.field("hold", BoshClientConfig.DEFAULT_HOLD);
    j.field("lingerSeconds", o.linger().toMillis() / 1000.0);
    j.field("sourceAddresses", o.sourceAddresses().size());
    j.field("threads", o.threads());
    j.field("http", o.http().flag());
    j.field("h2Connections", o.http() == LoadOptions.Http.HTTP_2 ? o.h2Connections() : -1);
    j.end();
    Report.Sessions s = r.sessions();
    j.name("sessions").begin();
    j.field("target", s.target());
    j.field("started", s.started());
    j.field("peakOnline", s.peakOnline());
    j.field("failed", s.failed());
    j.field("dropped", s.dropped());
    j.field("logins", s.logins());
    j.field("logouts", s.logouts());
    j.field("arrivalsSkipped", s.arrivalsSkipped());
    j.field("connections", s.connections());
    j.end();
    Report.Messages m = r.messages();
    j.name("messages").begin();
    j.field("sent", m.sent());
    j.field("delivered", m.delivered());
    j.field("bounced", m.bounced());
    j.field("lost", m.lost());
    j.field("unaddressable", m.unaddressable());
    j.end();
    j.field("requests", r.requests());
    j.name("errors").begin();
    r.errors().forEach(j::field);
    j.end();
    j.name("errorExamples").begin();
    r.errorExamples().forEach(j::field);
    j.end();
    j.name("histogramsMs").begin();
    r.histograms().forEach((name, p) -> {
      j.name(name).begin();
      j.field("count", p.count());
      j.field("min", p.min());
      j.field("mean", p.mean());
      j.field("p50", p.p50());
      j.field("p90", p.p90());
      j.field("p99", p.p99());
      j.field("p999", p.p999());
      j.field("max", p.max());
      j.end();
    });
    j.end();
    Report.Steady st = r.steady();
    j.name("steady").begin();
    j.field("seconds", st.seconds());
    j.field("online", st.online());
    j.field("sent", st.sent());
    j.field("delivered", st.delivered());
    j.field("logins", st.logins());
    doubles(j, "cpuSeconds", st.cpuSeconds());
    doubles(j, "cpuPercent", st.cpuPercent());
    doubles(j, "cpuMsPerMessage", st.cpuMsPerMessage());
    doubles(j, "cpuMsPerLogin", st.cpuMsPerLogin());
    j.name("rssBytes").begin();
    st.rssBytes().forEach(j::field);
    j.end();
    j.end();
    j.name("heap").begin();
    r.heap().forEach((name, h) -> {
      j.name(name).begin();
      j.field("beforeBytes", h.beforeBytes());
      j.field("steadyBytes", h.steadyBytes());
      j.field("online", h.online());
      j.field("perSessionBytes", h.perSessionBytes());
      j.end();
    });
    j.end();
    j.name("timeline").beginArray();
    for (Report.Tick t : r.timeline()) {
      j.newline();
      j.begin();
      j.field("t", t.t());
      j.field("phase", t.phase());
      j.field("online", t.online());
      j.field("started", t.startedTotal());
      j.field("failed", t.failedTotal());
      j.field("sentTotal", t.sentTotal());
      j.field("deliveredTotal", t.deliveredTotal());
      j.field("errorsTotal", t.errorsTotal());
      j.field("sent", t.sent());
      j.field("delivered", t.delivered());
      j.field("requests", t.requests());
      j.field("logins", t.logins());
      j.field("errors", t.errors());
      j.field("setupP50", t.setupP50());
      j.field("setupP99", t.setupP99());
      j.field("latencyP50", t.latencyP50());
      j.field("latencyP99", t.latencyP99());
      j.field("latencyMax", t.latencyMax());
      j.field("latencyCount", t.latencyCount());
      doubles(j, "cpuPercent", t.cpuPercent());
      j.name("rssBytes").begin();
      t.rssBytes().forEach(j::field);
      j.end();
      j.end();
    }
    j.endArray();
    j.end();
    return j.toString() + "\n";
  }

  private static void doubles(Json j, String name, Map<String, Double> values) {
    j.name(name).begin();
    values.forEach(j::field);
    j.end();
  }

  /** Confined to one write. A small JSON writer: objects, arrays, strings, numbers. */
  static final class Json {
    private final StringBuilder out = new StringBuilder(1 << 16);
    private boolean first = true;

    Json begin() {
      comma();
      out.append('{');
      first = true;
      return this;
    }

    Json end() {
      out.append('}');
      first = false;
      return this;
    }

    Json beginArray() {
      comma();
      out.append('[');
      first = true;
      return this;
    }

    Json endArray() {
      out.append(']');
      first = false;
      return this;
    }

    void newline() {
      if (!first) {
        out.append(',');
        first = true;
      }
      out.append("\n  ");
    }

    /** Writes a name; the value that follows needs no comma of its own. */
    Json name(String name) {
      comma();
      string(name);
      out.append(':');
      first = true;
      return this;
    }

    /** Writes a value that is JSON already, e.g. another report. */
    void raw(String json) {
      comma();
      out.append(json);
      first = false;
    }

    void field(String name, String value) {
      name(name);
      first = false;
      if (value == null) {
        out.append("null");
      } else {
        string(value);
      }
    }

    void field(String name, long value) {
      name(name);
      first = false;
      out.append(value);
    }

    void field(String name, Long value) {
      field(name, value == null ? -1 : value.longValue());
    }

    void field(String name, double value) {
      name(name);
      first = false;
      out.append(number(value));
    }

    void field(String name, Double value) {
      field(name, value == null ? -1 : value.doubleValue());
    }

    private void comma() {
      if (!first) {
        out.append(',');
      }
    }

    private void string(String s) {
      out.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          default -> {
            if (c < 0x20) {
              out.append(String.format("\\u%04x", (int) c));
            } else {
              out.append(c);
            }
          }
        }
      }
      out.append('"');
    }

    static String number(double value) {
      if (!Double.isFinite(value)) {
        return "-1";
      }
      if (value == Math.rint(value) && Math.abs(value) < 1e15) {
        return Long.toString((long) value);
      }
      return String.format(Locale.ROOT, "%.4f", value).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    @Override
    public String toString() {
      return out.toString();
    }
  }
}
