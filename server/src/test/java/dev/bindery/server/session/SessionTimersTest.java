package dev.bindery.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.session.Timer;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionTimersTest {

  private final EventLoop loop = new DefaultEventLoop();
  /** What fired, and at which time of the clock. */
  private final List<String> fired = new CopyOnWriteArrayList<>();
  private final List<Long> firedAt = new CopyOnWriteArrayList<>();
  private SessionTimers timers = new SessionTimers(loop, SessionTimersTest::now, this::record);

  @AfterEach
  void stop() throws Exception {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  @Test
  void aTimerFiresAtItsDeadlineAndNotBefore() throws Exception {
    long at = onLoop(() -> {
      long deadline = now() + 80;
      timers.schedule(new Timer.Wait(1), deadline);
      return deadline;
    });

    awaitFired(1);
    assertThat(fired).containsExactly("Wait[requestId=1]");
    assertThat(firedAt.get(0)).isGreaterThanOrEqualTo(at);
    assertThat(onLoop(timers::size)).isZero();
  }

  @Test
  void timersFireEarliestFirstWhateverTheOrderTheyWereSet() throws Exception {
    onLoop(() -> {
      long now = now();
      timers.schedule(Timer.INACTIVITY, now + 150);
      timers.schedule(new Timer.Wait(2), now + 100);
      timers.schedule(new Timer.Wait(1), now + 50);
      return null;
    });

    awaitFired(3);
    assertThat(fired).containsExactly("Wait[requestId=1]", "Wait[requestId=2]", "Inactivity[]");
  }

  @Test
  void aCancelledTimerNeverFiresAndTheOnesAfterItStillDo() throws Exception {
    onLoop(() -> {
      long now = now();
      timers.schedule(new Timer.Wait(1), now + 30);
      timers.schedule(new Timer.Wait(2), now + 120);
      timers.cancel(new Timer.Wait(1));
      return null;
    });

    awaitFired(1);
    Thread.sleep(100);
    assertThat(fired).containsExactly("Wait[requestId=2]");
  }

  @Test
  void settingATimerAgainMovesItsDeadline() throws Exception {
    long later = onLoop(() -> {
      long now = now();
      timers.schedule(Timer.INACTIVITY, now + 20);
      timers.schedule(Timer.INACTIVITY, now + 150);
      return now + 150;
    });

    awaitFired(1);
    assertThat(fired).containsExactly("Inactivity[]");
    assertThat(firedAt.get(0)).isGreaterThanOrEqualTo(later);
  }

  @Test
  void aFiringTimerMaySetTheNext() throws Exception {
    timers = new SessionTimers(loop, SessionTimersTest::now, timer -> {
      record(timer);
      if (timer instanceof Timer.Wait wait && wait.requestId() < 3) {
        timers.schedule(new Timer.Wait(wait.requestId() + 1), now() + 10);
      }
    });
    onLoop(() -> {
      timers.schedule(new Timer.Wait(1), now() + 10);
      return null;
    });

    awaitFired(3);
    assertThat(fired).containsExactly("Wait[requestId=1]", "Wait[requestId=2]", "Wait[requestId=3]");
  }

  @Test
  void cancellingAllLeavesNothingToFire() throws Exception {
    onLoop(() -> {
      timers.schedule(new Timer.Wait(1), now() + 20);
      timers.schedule(Timer.INACTIVITY, now() + 40);
      timers.cancelAll();
      return null;
    });

    Thread.sleep(150);
    assertThat(fired).isEmpty();
    assertThat(onLoop(timers::size)).isZero();
  }

  private void record(Timer timer) {
    assertThat(loop.inEventLoop()).isTrue();
    firedAt.add(now());
    fired.add(timer.toString());
  }

  private <T> T onLoop(Callable<T> work) throws Exception {
    return loop.submit(work).get(5, TimeUnit.SECONDS);
  }

  private void awaitFired(int count) throws InterruptedException {
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (fired.size() < count && System.nanoTime() < giveUp) {
      Thread.sleep(5);
    }
    assertThat(fired).hasSizeGreaterThanOrEqualTo(count);
  }

  private static long now() {
    return System.nanoTime() / 1_000_000L;
  }
}
