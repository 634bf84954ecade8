package dev.bindery.protocol.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ActivityMonitorTest {

  @Test
  void moreThanRequestsUnansweredIsOveractive() {
    ActivityMonitor monitor = new ActivityMonitor(2, 2, false);

    assertThat(monitor.overactive(false, false, 0)).isFalse();
    assertThat(monitor.overactive(false, false, 5_000)).isFalse();
    assertThat(monitor.overactive(false, false, 10_000)).isTrue();
  }

  @Test
  void pauseOrTerminateMayBeOneMore() {
    ActivityMonitor monitor = new ActivityMonitor(2, 2, false);
    monitor.overactive(false, false, 0);
    monitor.overactive(false, false, 5_000);

    assertThat(monitor.overactive(false, true, 10_000)).isFalse();
    assertThat(monitor.overactive(false, true, 15_000)).isTrue();
  }

  @Test
  void answeringResetsTheCount() {
    ActivityMonitor monitor = new ActivityMonitor(2, 2, false);
    monitor.overactive(false, false, 0);
    monitor.overactive(false, false, 5_000);
    monitor.answered(true);

    assertThat(monitor.overactive(false, false, 10_000)).isFalse();
  }

  @Test
  void emptyRequestsFasterThanPollingAreOveractiveOnlyAtRequests() {
    ActivityMonitor monitor = new ActivityMonitor(3, 2, false);

    assertThat(monitor.overactive(true, false, 0)).isFalse();
    assertThat(monitor.overactive(true, false, 100)).isFalse(); // 2 of 3
    assertThat(monitor.overactive(true, false, 1_999)).isTrue(); // 3 of 3, 1.9 s apart
  }

  @Test
  void pollingZeroAllowsAnyFrequency() {
    // §11: "If the connection manager did not specify a 'polling' attribute [...]" (or 0)
    ActivityMonitor monitor = new ActivityMonitor(2, 0, false);
    monitor.overactive(true, false, 0);

    assertThat(monitor.overactive(true, false, 0)).isFalse();
  }

  @Test
  void pollingSessionsUseTheSection12Rule() {
    ActivityMonitor monitor = new ActivityMonitor(1, 2, true);

    assertThat(monitor.pollingTooFast(true, 0)).isFalse();
    monitor.answered(true);
    assertThat(monitor.pollingTooFast(true, 1_000)).isTrue();
  }

  @Test
  void section12NeedsTheFirstResponseEmpty() {
    ActivityMonitor monitor = new ActivityMonitor(1, 2, true);
    monitor.pollingTooFast(true, 0);
    monitor.answered(false);

    assertThat(monitor.pollingTooFast(true, 1_000)).isFalse();
  }

  @Test
  void section12DoesNotApplyToOrdinarySessions() {
    ActivityMonitor monitor = new ActivityMonitor(2, 2, false);
    monitor.pollingTooFast(true, 0);
    monitor.answered(true);

    assertThat(monitor.pollingTooFast(true, 100)).isFalse();
  }
}
