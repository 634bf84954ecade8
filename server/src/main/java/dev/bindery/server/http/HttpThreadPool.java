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
 */
public final class HttpThreadPool extends QueuedThreadPool {

  private final EventExecutor[] sessionLoops;

  public HttpThreadPool(int maxThreads, int minThreads, EventExecutorGroup sessionLoops) {
    super(maxThreads, minThreads);
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
