package dev.bindery.server.limits;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.xmpp.Namespaces;
import dev.bindery.protocol.xmpp.Stanza;
import dev.bindery.protocol.xmpp.XmlEscaper;
import dev.bindery.server.admin.Readiness;
import dev.bindery.server.config.AdmissionLimits;
import dev.bindery.server.metrics.BoshMetrics;
import dev.bindery.server.session.SessionGate;
import java.net.URI;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Thread-safe: immutable apart from the rate limiter. Decides whether a new session may be
 * created. While the node drains, new sessions get {@code see-other-uri} (XEP-0124 §17.2, with
 * the drain target in a {@code <uri/>} child) or {@code system-shutdown}; beyond the node's
 * session limit or the per-address creation rate they get {@code policy-violation}.
 */
public final class Admission implements SessionGate {

  private final AdmissionLimits limits;
  private final IntSupplier liveSessions;
  private final Readiness readiness;
  private final Body drainAnswer;
  private final BoshMetrics metrics;
  private final IpRateLimiter rate;

  /**
   * @param seeOtherUri where new sessions go while draining, or null for system-shutdown
   */
  public Admission(AdmissionLimits limits, IntSupplier liveSessions, Readiness readiness,
      URI seeOtherUri, BoshMetrics metrics) {
    this(limits, liveSessions, readiness, seeOtherUri, metrics, System::nanoTime);
  }

  Admission(AdmissionLimits limits, IntSupplier liveSessions, Readiness readiness,
      URI seeOtherUri, BoshMetrics metrics, LongSupplier nanoClock) {
    this.limits = limits;
    this.liveSessions = liveSessions;
    this.readiness = readiness;
    this.metrics = metrics;
    this.rate = new IpRateLimiter(limits.newSessionsPerIpPerSecond(), nanoClock);
    this.drainAnswer = seeOtherUri == null
        ? Body.terminate(BindingCondition.SYSTEM_SHUTDOWN)
        : seeOtherUri(seeOtherUri);
  }

  /** {@code <body type='terminate' condition='see-other-uri'><uri>…</uri></body>} (§17.2). */
  static Body seeOtherUri(URI uri) {
    StringBuilder xml = new StringBuilder("<uri xmlns='").append(Namespaces.HTTPBIND).append("'>");
    XmlEscaper.escapeText(uri.toString(), xml);
    xml.append("</uri>");
    return Body.builder().terminate(BindingCondition.SEE_OTHER_URI)
        .payload(new Stanza(Namespaces.HTTPBIND, "uri", xml.toString())).build();
  }

  /** Why a new session, of either transport, is not let in. */
  public enum Refusal {
    /** The node drains: the session belongs elsewhere. */
    DRAINING,
    /** The node has {@code limits.max-sessions} live sessions. */
    MAX_SESSIONS,
    /** The client's address created sessions faster than its limit. */
    IP_RATE
  }

  /**
   * Whether a new session may start for {@code clientAddress}: null if so, else why not,
   * counted in the refusal metrics under {@code transport}.
   *
   * @param transport {@link BoshMetrics#BOSH} or {@link BoshMetrics#WEBSOCKET}
   */
  public Refusal admit(String clientAddress, String transport) {
    if (readiness.draining()) {
      metrics.sessionRefused("draining", transport);
      return Refusal.DRAINING;
    }
    if (liveSessions.getAsInt() >= limits.maxSessions()) {
      metrics.sessionRefused("max_sessions", transport);
      return Refusal.MAX_SESSIONS;
    }
    if (!rate.tryAcquire(clientAddress)) {
      metrics.sessionRefused("ip_rate", transport);
      return Refusal.IP_RATE;
    }
    return null;
  }

  @Override
  public Body refuse(String clientAddress) {
    Refusal refusal = admit(clientAddress, BoshMetrics.BOSH);
    if (refusal == null) {
      return null;
    }
    return refusal == Refusal.DRAINING ? drainAnswer : policyViolation();
  }

  private static Body policyViolation() {
    return Body.terminate(BindingCondition.POLICY_VIOLATION);
  }
}
