package dev.bindery.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyParser;
import dev.bindery.protocol.body.BodyWriter;
import dev.bindery.server.admin.Readiness;
import dev.bindery.server.config.AdmissionLimits;
import dev.bindery.server.metrics.BoshMetrics;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AdmissionTest {

  private final AtomicInteger live = new AtomicInteger();
  private final AtomicLong clock = new AtomicLong(5_000_000_000L);
  private final Readiness readiness = new Readiness();

  private Admission admission(int maxSessions, int perIp, URI target) {
    readiness.started();
    return new Admission(new AdmissionLimits(maxSessions, perIp), live::get, readiness, target,
        BoshMetrics.unbound(), clock::get);
  }

  @Test
  void withinTheLimitsEverySessionIsAdmitted() {
    Admission a = admission(10, 3, null);
    assertThat(a.refuse("10.0.0.1")).isNull();
    assertThat(a.refuse("10.0.0.1")).isNull();
    assertThat(a.refuse("10.0.0.2")).isNull();
  }

  @Test
  void beyondTheNodeLimitNewSessionsGetPolicyViolation() {
    Admission a = admission(2, 0, null);
    live.set(2);
    assertThat(a.refuse("10.0.0.1").condition()).contains(BindingCondition.POLICY_VIOLATION);
    live.set(1);
    assertThat(a.refuse("10.0.0.1")).isNull();
  }

  @Test
  void beyondTheRatePerAddressNewSessionsGetPolicyViolationUntilTheNextSecond() {
    Admission a = admission(100, 2, null);
    assertThat(a.refuse("10.0.0.1")).isNull();
    assertThat(a.refuse("10.0.0.1")).isNull();
    assertThat(a.refuse("10.0.0.1").condition()).contains(BindingCondition.POLICY_VIOLATION);
    assertThat(a.refuse("10.0.0.2")).isNull(); // another address has its own budget
    clock.addAndGet(1_000_000_000L);
    assertThat(a.refuse("10.0.0.1")).isNull();
  }

  /** XEP-0124 §17.2: see-other-uri, "a <uri/> child element ... specifies the URI". */
  @Test
  void whileDrainingNewSessionsAreSentToTheDrainTarget() throws Exception {
    Admission a = admission(100, 0, URI.create("https://b.example/http-bind?x=1&y=2"));
    readiness.startDraining();

    Body refusal = a.refuse("10.0.0.1");

    assertThat(refusal.isTerminate()).isTrue();
    assertThat(refusal.condition()).contains(BindingCondition.SEE_OTHER_URI);
    byte[] written = BodyWriter.toBytes(refusal);
    Body reparsed = new BodyParser().parse(written);
    assertThat(reparsed.condition()).contains(BindingCondition.SEE_OTHER_URI);
    assertThat(reparsed.payloads()).singleElement().satisfies(uri -> {
      assertThat(uri.localName()).isEqualTo("uri");
      assertThat(uri.xml()).contains("https://b.example/http-bind?x=1&amp;y=2");
    });
    assertThat(new String(written, java.nio.charset.StandardCharsets.UTF_8))
        .contains("<uri xmlns='http://jabber.org/protocol/httpbind'>");
  }

  @Test
  void whileDrainingWithoutATargetNewSessionsGetSystemShutdown() {
    Admission a = admission(100, 0, null);
    readiness.startDraining();
    assertThat(a.refuse("10.0.0.1").condition()).contains(BindingCondition.SYSTEM_SHUTDOWN);
  }

  @Test
  void oldRateWindowsAreSwept() {
    IpRateLimiter limiter = new IpRateLimiter(1, clock::get);
    for (int i = 0; i <= IpRateLimiter.SWEEP_THRESHOLD; i++) {
      limiter.tryAcquire("10.0." + (i / 256) + "." + (i % 256));
    }
    clock.addAndGet(1_000_000_000L);
    limiter.tryAcquire("10.1.0.0");
    assertThat(limiter.tracked()).isLessThanOrEqualTo(2);
  }
}
