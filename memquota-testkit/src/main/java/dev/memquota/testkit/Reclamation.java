package dev.memquota.testkit;

import dev.memquota.MemoryQuotaTracker;
import dev.memquota.TrackerStats;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assertions;

/**
 * Helpers that drive and check reclamation in tests. Every failure message shows the tracker's
 * {@link MemoryQuotaTracker#stats() stats()}, so that a red test tells what the tracker was doing.
 *
 * <p>With a {@link ManualExecutor}, use {@link #runToCompletion}; with a real (threaded) executor,
 * use {@link #awaitSettled}. All waits are bounded by a deadline.
 *
 * <p><b>Thread-safety:</b> stateless; the methods may be called from any thread.
 */
public final class Reclamation {

  /** How long the polling helpers sleep between two looks. */
  private static final Duration POLL = Duration.ofMillis(2);

  private Reclamation() {}

  /**
   * Runs the executor's tasks until the queue is empty and checks that no reclamation cycle is
   * left waiting (for a participant that has not answered yet, or for a reclaim timeout).
   *
   * @param tracker the tracker that uses {@code executor}
   * @param executor its executor
   * @throws org.opentest4j.AssertionFailedError if a cycle is still under way when the queue is
   *     empty, or if the tasks never stop re-scheduling each other
   */
  public static void runToCompletion(MemoryQuotaTracker tracker, ManualExecutor executor) {
    executor.runUntilIdle();
    TrackerStats stats = tracker.stats();
    if (stats.reclaiming()) {
      Assertions.fail(
          "reclamation is still under way with no task queued (waiting for a participant or a"
              + " reclaim timeout?): "
              + stats);
    }
  }

  /**
   * Runs the executor's tasks and, while a reclamation cycle is under way, waits for the tasks that
   * other threads (participants completing late, the reclaim timeout's timer) enqueue, until the
   * cycle has finished.
   *
   * @param tracker the tracker that uses {@code executor}
   * @param executor its executor
   * @param timeout how long to wait in all
   * @throws org.opentest4j.AssertionFailedError if the cycle is still under way when {@code
   *     timeout} has passed
   */
  public static void runToCompletion(
      MemoryQuotaTracker tracker, ManualExecutor executor, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    executor.runUntilIdle();
    while (tracker.stats().reclaiming()) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !executor.awaitTask(Duration.ofNanos(left))) {
        Assertions.fail(
            "reclamation did not finish within " + timeout + ": " + tracker.stats());
      }
      executor.runUntilIdle();
    }
  }

  /**
   * Waits until a tracker that runs on a real executor has settled: no cycle under way and the
   * total at or below the maximum.
   *
   * @param tracker the tracker
   * @param timeout how long to wait at most
   * @throws org.opentest4j.AssertionFailedError if the tracker has not settled by then
   */
  public static void awaitSettled(MemoryQuotaTracker tracker, Duration timeout) {
    awaitCondition(
        tracker,
        () -> {
          TrackerStats s = tracker.stats();
          return !s.reclaiming() && s.usedBytes() <= s.maxBytes();
        },
        timeout,
        () -> "the tracker to settle (no cycle under way, total <= max)");
  }

  /**
   * Polls {@code condition} until it holds or {@code timeout} passes.
   *
   * @param tracker the tracker whose stats go into the failure message
   * @param condition what to wait for
   * @param timeout how long to wait at most
   * @param what describes the condition, for the failure message
   * @throws org.opentest4j.AssertionFailedError if the condition does not hold in time
   */
  public static void awaitCondition(
      MemoryQuotaTracker tracker,
      BooleanSupplier condition,
      Duration timeout,
      Supplier<String> what) {
    poll(tracker, condition, timeout, what, "", () -> {});
  }

  /**
   * Polls until {@code condition} holds, running {@code betweenTries} before each further try.
   * Fails with "gave up after TIMEOUT{@code how} waiting for WHAT: STATS".
   */
  static void poll(
      MemoryQuotaTracker tracker,
      BooleanSupplier condition,
      Duration timeout,
      Supplier<String> what,
      String how,
      Runnable betweenTries) {
    Objects.requireNonNull(condition, "condition");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        Assertions.fail(
            "gave up after " + timeout + how + " waiting for " + what.get() + ": " + tracker.stats());
      }
      betweenTries.run();
      pause(POLL);
    }
  }

  /**
   * Checks that exactly the {@code expected} fakes, out of {@code all}, were asked to reclaim.
   *
   * @param tracker the tracker, for the message
   * @param all every fake the test created
   * @param expected the ones that should have been asked
   * @throws org.opentest4j.AssertionFailedError naming the fakes asked and expected otherwise
   */
  public static void assertReclaimedExactly(
      MemoryQuotaTracker tracker,
      Collection<FakeParticipant> all,
      Collection<FakeParticipant> expected) {
    List<String> asked =
        all.stream()
            .filter(FakeParticipant::wasAskedToReclaim)
            .map(FakeParticipant::name)
            .collect(Collectors.toList());
    List<String> wanted =
        all.stream()
            .filter(Set.copyOf(expected)::contains)
            .map(FakeParticipant::name)
            .collect(Collectors.toList());
    if (!asked.equals(wanted)) {
      Assertions.fail(
          "expected exactly " + wanted + " to be asked to reclaim, but " + asked + " were; "
              + tracker.stats());
    }
  }

  /**
   * Checks that each fake was asked to reclaim.
   *
   * @param tracker the tracker, for the message
   * @param fakes the fakes that should have been asked
   * @throws org.opentest4j.AssertionFailedError naming the fakes that were not asked
   */
  public static void assertReclaimed(MemoryQuotaTracker tracker, FakeParticipant... fakes) {
    List<String> missed =
        Arrays.stream(fakes)
            .filter(f -> !f.wasAskedToReclaim())
            .map(FakeParticipant::name)
            .collect(Collectors.toList());
    if (!missed.isEmpty()) {
      Assertions.fail(missed + " should have been asked to reclaim but were not; " + tracker.stats());
    }
  }

  /**
   * Checks that no fake was asked to reclaim.
   *
   * @param tracker the tracker, for the message
   * @param fakes the fakes that should have been left alone
   * @throws org.opentest4j.AssertionFailedError naming the fakes that were asked
   */
  public static void assertNotReclaimed(MemoryQuotaTracker tracker, FakeParticipant... fakes) {
    List<String> asked =
        Arrays.stream(fakes)
            .filter(FakeParticipant::wasAskedToReclaim)
            .map(FakeParticipant::name)
            .collect(Collectors.toList());
    if (!asked.isEmpty()) {
      Assertions.fail(asked + " should not have been asked to reclaim but were; " + tracker.stats());
    }
  }

  /**
   * Checks that the tracker's total lies within bounds.
   *
   * @param tracker the tracker
   * @param min the least acceptable total
   * @param max the greatest acceptable total
   * @throws org.opentest4j.AssertionFailedError if the total is outside {@code [min, max]}
   */
  public static void assertUsedBytesBetween(MemoryQuotaTracker tracker, long min, long max) {
    long used = tracker.usedBytes();
    if (used < min || used > max) {
      Assertions.fail(
          "usedBytes should be within [" + min + ", " + max + "] but was " + used + "; "
              + tracker.stats());
    }
  }

  static void pause(Duration d) {
    try {
      Thread.sleep(Math.max(1, d.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    }
  }
}
