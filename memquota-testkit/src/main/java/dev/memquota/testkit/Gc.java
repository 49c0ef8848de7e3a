package dev.memquota.testkit;

import dev.memquota.MemoryQuotaTracker;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assertions;

/**
 * Helpers for tests that depend on garbage collection: they call {@link System#gc()} repeatedly,
 * with a deadline, until what the test waits for has happened.
 *
 * <p>{@code System.gc()} is a request, not a command; these helpers therefore loop, and fail with a
 * clear message (including the tracker's stats) when the deadline passes.
 *
 * <p><b>Thread-safety:</b> stateless; the methods may be called from any thread.
 */
public final class Gc {

  private static final Duration STEP = Duration.ofMillis(10);

  private Gc() {}

  /**
   * Collects garbage until {@code referent} has been collected and its reference enqueued, so that
   * anyone watching a reference queue for it can see it too.
   *
   * <p>Use it as: {@code WeakReference<FakeParticipant> ref = new WeakReference<>(fake); fake =
   * null; Gc.awaitCollected(tracker, ref, timeout);}. The caller must hold no other strong reference.
   *
   * @param tracker the tracker whose stats go into the failure message
   * @param referent a weak reference to the object that should go
   * @param timeout how long to try
   * @throws org.opentest4j.AssertionFailedError if the object is still reachable after {@code
   *     timeout}
   */
  public static void awaitCollected(
      MemoryQuotaTracker tracker, WeakReference<?> referent, Duration timeout) {
    Objects.requireNonNull(referent, "referent");
    // A second reference on our own queue tells when the reference handler has processed the
    // collection, not only that the referent is unreachable.
    ReferenceQueue<Object> queue = new ReferenceQueue<>();
    Object target = referent.get();
    if (target == null) {
      return;
    }
    WeakReference<Object> watch = new WeakReference<>(target, queue);
    target = null;
    Reference<?> enqueued = null;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (enqueued == null) {
      if (System.nanoTime() - deadline > 0) {
        Assertions.fail(
            "the object was not garbage-collected within "
                + timeout
                + " (does something still reference it?): "
                + tracker.stats());
      }
      System.gc();
      try {
        enqueued = queue.remove(STEP.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for garbage collection", e);
      }
    }
    Reference.reachabilityFence(watch);
  }

  /**
   * Collects garbage until {@code condition} holds.
   *
   * @param tracker the tracker whose stats go into the failure message
   * @param condition what garbage collection should bring about (it may poke the tracker, for
   *     example create an account, so that the engine drains its reference queue)
   * @param timeout how long to try
   * @param what describes the condition, for the failure message
   * @throws org.opentest4j.AssertionFailedError if the condition does not hold after {@code timeout}
   */
  public static void awaitCondition(
      MemoryQuotaTracker tracker,
      BooleanSupplier condition,
      Duration timeout,
      Supplier<String> what) {
    Reclamation.poll(tracker, condition, timeout, what, " of garbage collection", System::gc);
  }
}
