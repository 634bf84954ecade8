package dev.bindery.server.ops;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Thread-safe. A slowloris: every period, one more byte of each added connection's bytes goes
 * out, until all are written, the connection is gone, or the trickler is closed. One timer
 * thread serves every connection, as one attacker's event loop would.
 */
final class Trickler implements AutoCloseable {

  private static final class Drip {
    final HostileSocket socket;
    final byte[] bytes;
    int next;

    Drip(HostileSocket socket, byte[] bytes) {
      this.socket = socket;
      this.bytes = bytes;
    }
  }

  private final List<Drip> drips = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "trickler");
    t.setDaemon(true);
    return t;
  });

  Trickler(Duration period) {
    timer.scheduleAtFixedRate(this::drip, 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** From the next tick on, {@code bytes} go to {@code socket} one a tick. */
  void add(HostileSocket socket, byte[] bytes) {
    drips.add(new Drip(socket, bytes));
  }

  private void drip() {
    for (Iterator<Drip> it = drips.iterator(); it.hasNext(); ) {
      Drip d = it.next();
      if (d.next >= d.bytes.length || d.socket.ended()
          || !d.socket.write(new byte[] {d.bytes[d.next++]})) {
        drips.remove(d);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    timer.shutdownNow();
    timer.awaitTermination(5, TimeUnit.SECONDS);
  }
}
