package dev.bindery.server.reload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SIGHUP, raised in this JVM, runs the reload. */
class ReloadSignalTest {

  @Test
  void hangupRunsTheReloadEachTime() throws Exception {
    Semaphore reloads = new Semaphore(0);
    assertThat(ReloadSignal.install(() -> {
      reloads.release();
      throw new IllegalArgumentException("an invalid configuration does not stop the handler");
    })).isTrue();

    // one at a time: signals raised in quick succession may be delivered as one
    sun.misc.Signal.raise(new sun.misc.Signal("HUP"));
    assertThat(reloads.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
    sun.misc.Signal.raise(new sun.misc.Signal("HUP"));
    assertThat(reloads.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
  }
}
