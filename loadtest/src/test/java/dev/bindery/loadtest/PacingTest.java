package dev.bindery.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PacingTest {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void arrivalsStartWithOneAndFollowTheRate() {
    assertThat(Pacing.dueArrivals(-1, 100, 1000)).isZero();
    assertThat(Pacing.dueArrivals(0, 100, 1000)).isEqualTo(1);
    assertThat(Pacing.dueArrivals(SECOND / 100 - 1, 100, 1000)).isEqualTo(1);
    assertThat(Pacing.dueArrivals(SECOND / 100, 100, 1000)).isEqualTo(2);
    assertThat(Pacing.dueArrivals(SECOND, 100, 1000)).isEqualTo(101);
    assertThat(Pacing.dueArrivals(60 * SECOND, 100, 1000)).isEqualTo(1000);
    assertThat(Pacing.dueArrivals(3 * SECOND, 0.5, 1000)).isEqualTo(2);
  }

  @Test
  void messageGapsAreExponentialWithTheRatesMean() {
    SplittableRandom random = new SplittableRandom(42);
    int n = 200_000;
    double sum = 0;
    int longerThanMean = 0;
    for (int i = 0; i < n; i++) {
      long gap = Pacing.nextMessageDelayNanos(0.2, 1.0 - random.nextDouble());
      sum += gap;
      if (gap > 5 * SECOND) {
        longerThanMean++;
      }
    }
    assertThat(sum / n / SECOND).isCloseTo(5.0, org.assertj.core.data.Offset.offset(0.05));
    // P(X > mean) = 1/e for an exponential distribution.
    assertThat((double) longerThanMean / n)
        .isCloseTo(Math.exp(-1), org.assertj.core.data.Offset.offset(0.005));
    assertThat(Pacing.nextMessageDelayNanos(1, 1.0)).isZero();
  }

  @Test
  void invalidRatesAreRefused() {
    assertThatThrownBy(() -> Pacing.nextMessageDelayNanos(0, 0.5))
        .hasMessage("invalid rate: 0.0 (expected: > 0)");
    assertThatThrownBy(() -> Pacing.nextMessageDelayNanos(1, 0))
        .hasMessage("invalid uniform: 0.0 (expected: (0, 1])");
  }

  @Test
  void stampsRoundTrip() {
    String body = Pacing.stampedBody(123_456_789_012L, 7);
    assertThat(body).isEqualTo("bindery-loadtest t=123456789012 #7");
    assertThat(Pacing.stampOf(body)).isEqualTo(123_456_789_012L);
    assertThat(Pacing.stampOf("bindery-loadtest t=42")).isEqualTo(42);
    assertThat(Pacing.stampOf("hi! Today is Monday")).isEqualTo(-1);
    assertThat(Pacing.stampOf("bindery-loadtest t=x1 #1")).isEqualTo(-1);
  }
}
