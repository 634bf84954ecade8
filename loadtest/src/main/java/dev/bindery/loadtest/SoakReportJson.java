package dev.bindery.loadtest;

/**
 * Thread-safe: stateless. Writes a {@link SoakReport} as JSON: the command line, the baseline,
 * one entry per sample, the node after the run, the checks, and the chat's and churn's own
 * reports (as {@link ReportJson} writes them). Unknown values are -1.
 */
final class SoakReportJson {

  private SoakReportJson() {}

  static String write(SoakReport r) {
    ReportJson.Json j = new ReportJson.Json();
    SoakOptions o = r.options();
    j.begin();
    j.field("schema", SoakReport.SCHEMA);
    j.field("label", o.label());
    j.field("startedAt", r.startedAt().toString());
    j.name("config").begin();
    j.field("url", o.url().toString());
    j.field("sessions", o.sessions());
    j.field("messageRate", o.messageRate());
    j.field("churnRate", o.churnRate());
    j.field("churnSessions", o.churnSessions());
    j.field("churnLingerSeconds", o.churnLinger().toMillis() / 1000.0);
    j.field("durationSeconds", o.duration().toMillis() / 1000.0);
    j.field("sampleEverySeconds", o.sampleEvery().toMillis() / 1000.0);
    j.end();
    vitals(j, "baseline", r.baseline());
    j.name("samples").beginArray();
    for (SoakReport.Sample s : r.samples()) {
      j.newline();
      j.begin();
      j.field("minutes", s.minutes());
      j.field("phase", s.phase());
      vitals(j, "node", s.node());
      j.field("sent", s.sent());
      j.field("delivered", s.delivered());
      j.field("chatOnline", s.chatOnline());
      j.field("churnLogins", s.churnLogins());
      j.field("churnOnline", s.churnOnline());
      j.field("sessionsFailed", s.sessionsFailed());
      j.end();
    }
    j.endArray();
    vitals(j, "after", r.last());
    j.field("settleSeconds", r.settleSeconds());
    j.field("heapDriftBytes", r.heapDrift());
    j.name("checks").beginArray();
    for (SoakReport.Check c : r.checks()) {
      j.begin();
      j.field("what", c.what());
      j.field("baseline", c.baseline());
      j.field("after", c.after());
      j.field("allowed", c.allowed());
      j.field("passed", c.passed() ? "yes" : "no");
      j.end();
    }
    j.endArray();
    j.field("passed", r.passed() ? "yes" : "no");
    j.name("chat");
    j.raw(ReportJson.write(r.chat()).strip());
    j.name("churn");
    j.raw(ReportJson.write(r.churn()).strip());
    j.end();
    return j + "\n";
  }

  private static void vitals(ReportJson.Json j, String name, NodeProbe.Vitals v) {
    j.name(name).begin();
    j.field("sessions", v.sessions());
    j.field("heapBytes", v.heapBytes());
    j.field("rssBytes", v.rssBytes());
    j.field("descriptors", v.descriptors());
    j.field("threads", v.threads());
    j.end();
  }
}
