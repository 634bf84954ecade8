package dev.bindery.client;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread-safe: any thread may submit. Runs its tasks one at a time, in submission order, on a
 * shared delegate executor, so that state touched only by these tasks needs no locks: one per
 * session gives every session a "virtual thread" of its own without a thread per session.
 *
 * <p>A task submitted from inside a running task runs after it, never nested. Consecutive tasks
 * see each other's writes: the queue hand-off and the {@code running} flag order them.
 */
final class SerialExecutor implements Executor {

  private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

  /** Tasks run per turn on the delegate before yielding it to other sessions. */
  static final int MAX_TASKS_PER_TURN = 64;

  private final Executor delegate;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean();

  SerialExecutor(Executor delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(Objects.requireNonNull(task, "task"));
    schedule();
  }

  private void schedule() {
    if (!running.compareAndSet(false, true)) {
      return;
    }
    try {
      delegate.execute(this::drain);
    } catch (RejectedExecutionException e) {
      running.set(false);
      throw e;
    }
  }

  private void drain() {
    try {
      for (int i = 0; i < MAX_TASKS_PER_TURN; i++) {
        Runnable task = tasks.poll();
        if (task == null) {
          break;
        }
        try {
          task.run();
        } catch (RuntimeException e) {
          LOG.error("task failed: {}", task, e);
        }
      }
    } finally {
      running.set(false);
      if (!tasks.isEmpty()) {
        schedule();
      }
    }
  }
}
