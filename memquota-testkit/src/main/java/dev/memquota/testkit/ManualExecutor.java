package dev.memquota.testkit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Assertions;

/**
 * An {@link Executor} that only queues tasks; they run when the test says so, on the test's
 * thread. Give it to a tracker (through {@link dev.memquota.MemoryQuotaTracker.Builder#executor}
 * or {@link dev.memquota.spi.TrackerSettings}) to make reclamation deterministic: a claim over the
 * maximum then only queues a task, and {@link #runUntilIdle()} runs the whole cycle.
 *
 * <p>Tasks that other threads enqueue later (for example the continuation of a reclamation cycle
 * that the JDK's timer enqueues when a participant times out) can be waited for with {@link
 * #awaitAndRunUntilIdle(Duration)}.
 *
 * <p><b>Thread-safety:</b> all methods may be called from any thread. Tasks run on the thread that
 * calls a {@code run...} method, outside the executor's lock, so a task may enqueue more tasks. An
 * exception thrown by a task propagates to the caller of the {@code run...} method; the task is
 * then gone from the queue.
 */
public final class ManualExecutor implements Executor {

  /**
   * How many tasks {@link #runUntilIdle()} runs at most before it decides that tasks keep
   * re-scheduling each other.
   */
  public static final int DEFAULT_MAX_STEPS = 10_000;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition enqueued = lock.newCondition();
  private final Deque<Runnable> queue = new ArrayDeque<>();
  private final int maxSteps;
  private long executed;

  /** Creates an executor whose {@link #runUntilIdle()} stops after {@link #DEFAULT_MAX_STEPS}. */
  public ManualExecutor() {
    this(DEFAULT_MAX_STEPS);
  }

  /**
   * Creates an executor with a custom loop guard.
   *
   * @param maxSteps how many tasks {@link #runUntilIdle()} runs at most; positive
   * @throws IllegalArgumentException if {@code maxSteps} is not positive
   */
  public ManualExecutor(int maxSteps) {
    if (maxSteps <= 0) {
      throw new IllegalArgumentException("maxSteps must be > 0, was " + maxSteps);
    }
    this.maxSteps = maxSteps;
  }

  /**
   * Queues {@code task}; it runs only when a {@code run...} method is called.
   *
   * @param task the task
   * @throws NullPointerException if {@code task} is {@code null}
   */
  @Override
  public void execute(Runnable task) {
    Objects.requireNonNull(task, "task");
    lock.lock();
    try {
      queue.addLast(task);
      enqueued.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs the oldest queued task, if any, on the calling thread.
   *
   * @return {@code true} if a task ran, {@code false} if the queue was empty
   */
  public boolean runNext() {
    Runnable task;
    lock.lock();
    try {
      task = queue.pollFirst();
      if (task == null) {
        return false;
      }
      executed++;
    } finally {
      lock.unlock();
    }
    task.run();
    return true;
  }

  /**
   * Runs queued tasks, including those enqueued meanwhile, until the queue is empty.
   *
   * @return how many tasks ran
   * @throws org.opentest4j.AssertionFailedError if the queue is still not empty after the maximum
   *     number of steps (tasks keep re-scheduling each other, for example a reclamation cycle that
   *     never ends)
   */
  public int runUntilIdle() {
    int steps = 0;
    while (runNext()) {
      steps++;
      if (steps >= maxSteps && pending() > 0) {
        Assertions.fail(
            "ManualExecutor: still not idle after running "
                + steps
                + " tasks ("
                + pending()
                + " pending); tasks keep re-scheduling each other, e.g. a reclamation cycle that"
                + " never ends");
      }
    }
    return steps;
  }

  /**
   * Waits until at least one task is queued (for example by a timer thread), then runs tasks until
   * the queue is empty.
   *
   * @param timeout how long to wait for the first task; positive
   * @return how many tasks ran; at least one
   * @throws org.opentest4j.AssertionFailedError if no task was queued within {@code timeout}, or
   *     if {@link #runUntilIdle()} fails
   * @throws IllegalStateException if the calling thread is interrupted while waiting (its interrupt
   *     status is set again)
   */
  public int awaitAndRunUntilIdle(Duration timeout) {
    if (!awaitTask(timeout)) {
      Assertions.fail(
          "ManualExecutor: no task was queued within "
              + timeout
              + " (expected one from another thread, e.g. a reclaim timeout)");
    }
    return runUntilIdle();
  }

  /**
   * Waits, at most {@code timeout}, until at least one task is queued.
   *
   * @param timeout how long to wait at most
   * @return {@code true} if a task is queued, {@code false} if the time ran out first
   * @throws IllegalStateException if the calling thread is interrupted while waiting (its interrupt
   *     status is set again)
   */
  public boolean awaitTask(Duration timeout) {
    long remaining = Objects.requireNonNull(timeout, "timeout").toNanos();
    lock.lock();
    try {
      while (queue.isEmpty()) {
        if (remaining <= 0) {
          return false;
        }
        remaining = enqueued.awaitNanos(remaining);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a task", e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns how many tasks are queued.
   *
   * @return the number of tasks waiting to run
   */
  public int pending() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns how many tasks have been taken from the queue to run since this executor was created.
   *
   * @return the number of tasks run (or started)
   */
  public long executed() {
    lock.lock();
    try {
      return executed;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "ManualExecutor[pending=" + pending() + ", executed=" + executed() + "]";
  }
}
