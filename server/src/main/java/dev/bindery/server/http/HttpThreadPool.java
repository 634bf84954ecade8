package dev.bindery.server.http;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Thread-safe. The HTTP listener's pool. A response written from a session's event loop ends its
 * exchange there, and Jetty then resumes the connection (reads what the client sent next, or
 * asks the selector to watch for it) by executing the connection as a job. That work never
 * blocks: it runs on the event loop at once instead of waking a pool thread for a few
 * microseconds, one hand-off less per exchange.
 *
 * <p>A burst (every client of a drained node logging in here, a logout storm) grows the pool
 * towards its maximum; afterwards idle threads go a quarter of the maximum per idle timeout
 * (60 s), rather than Jetty's default of one: a pool grown by 30 threads is back within two
 * minutes, not half an hour.
 */
public final class HttpThreadPool extends QueuedThreadPool {

  /** Idle threads evicted per idle timeout: the maximum divided by this. */
  static final int EVICTED_PER_IDLE_TIMEOUT_DIVISOR = 4;

  private final EventExecutor[] sessionLoops;

  public HttpThreadPool(int maxThreads, int minThreads, EventExecutorGroup sessionLoops) {
    super(maxThreads, minThreads);
    setMaxEvictCount(Math.max(1, maxThreads / EVICTED_PER_IDLE_TIMEOUT_DIVISOR));
    List<EventExecutor> loops = new ArrayList<>();
    sessionLoops.forEach(loops::add);
    this.sessionLoops = loops.toArray(EventExecutor[]::new);
  }

  @Override
  public void execute(Runnable job) {
    if (job instanceof Connection && onSessionLoop()) {
      job.run();
      return;
    }
    super.execute(job);
  }

  private boolean onSessionLoop() {
    for (EventExecutor loop : sessionLoops) {
      if (loop.inEventLoop()) {
        return true;
      }
    }
    return false;
  }
}
