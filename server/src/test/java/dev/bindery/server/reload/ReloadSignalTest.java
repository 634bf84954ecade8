package dev.bindery.server.reload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** SIGHUP, raised in this JVM, runs the reload. */
class ReloadSignalTest {

  @Test
  void hangupRunsTheReloadEachTime() throws Exception {
    // under nohup the JVM inherits SIGHUP ignored and leaves it so: nothing to test there
    Assumptions.assumeFalse(hangupIgnored(), "SIGHUP is ignored in this process (nohup)");
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

  /** Whether this process ignores SIGHUP: bit 0 of {@code SigIgn} in /proc/self/status. */
  private static boolean hangupIgnored() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return false;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseLong(line.substring(7).trim(), 16) & 1L) != 0;
      }
    }
    return false;
  }
}
