package dev.memquota.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class ManualExecutorTest {
  private final ManualExecutor executor = new ManualExecutor(100);
  private final List<String> ran = new ArrayList<>();

  @Test
  void runsNothingUntilTold() {
    executor.execute(() -> ran.add("a"));
    executor.execute(() -> ran.add("b"));
    assertEquals(2, executor.pending());
    assertTrue(ran.isEmpty());
    assertTrue(executor.runNext());
    assertEquals(List.of("a"), ran);
    assertTrue(executor.runNext());
    assertFalse(executor.runNext());
  }

  @Test
  void runUntilIdleRunsTasksEnqueuedMeanwhile() {
    executor.execute(() -> executor.execute(() -> ran.add("second")));
    assertEquals(2, executor.runUntilIdle());
    assertEquals(List.of("second"), ran);
    assertEquals(0, executor.pending());
  }

  @Test
  void runUntilIdleStopsATaskThatReschedulesItself() {
    Runnable[] loop = new Runnable[1];
    loop[0] = () -> executor.execute(loop[0]);
    executor.execute(loop[0]);
    AssertionFailedError e = assertThrows(AssertionFailedError.class, executor::runUntilIdle);
    assertTrue(e.getMessage().contains("still not idle after running 100 tasks"), e.getMessage());
  }

  @Test
  void awaitsATaskFromAnotherThread() {
    CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS)
        .execute(() -> executor.execute(() -> ran.add("late")));
    assertEquals(1, executor.awaitAndRunUntilIdle(Duration.ofSeconds(10)));
    assertEquals(List.of("late"), ran);
  }

  @Test
  void awaitingFailsAtTheDeadline() {
    AssertionFailedError e =
        assertThrows(
            AssertionFailedError.class, () -> executor.awaitAndRunUntilIdle(Duration.ofMillis(20)));
    assertTrue(e.getMessage().contains("no task was queued within PT0.02S"), e.getMessage());
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(NullPointerException.class, () -> executor.execute(null));
    assertThrows(IllegalArgumentException.class, () -> new ManualExecutor(0));
  }
}
