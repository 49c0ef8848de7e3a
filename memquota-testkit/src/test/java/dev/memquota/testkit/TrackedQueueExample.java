package dev.memquota.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memquota.Account;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.QuotaConfig;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

// The example of docs/testing-your-participant.md, verbatim between the markers. It is run by
// TrackedQueueExampleTest against the reference engine; users run it with memquota-impl.
// --8<-- [start:example]
class TrackedQueueExample {
  final ManualClock clock = new ManualClock();
  final ManualExecutor executor = new ManualExecutor(); // reclamation runs only when we say so
  MemoryQuotaTracker tracker;

  MemoryQuotaTracker newTracker(QuotaConfig config) {
    return MemoryQuotaTracker.builder().config(config).clock(clock).executor(executor).build();
  }

  @BeforeEach
  void createTracker() {
    tracker = newTracker(QuotaConfig.builder().maxBytes(4 << 20).lowWaterBytes(2 << 20).build());
  }

  @AfterEach
  void closeTracker() {
    tracker.close();
  }

  @Test
  void countsWhatItHoldsAndReleasesOnPop() {
    Account connection = tracker.newAccount();
    TrackedQueue queue = TrackedQueue.in(connection, clock);
    queue.push(new byte[1000]);
    assertTrue(tracker.usedBytes() >= 1000);
    queue.pop();
    connection.close();
    assertEquals(0, tracker.usedBytes());
  }

  @Test
  void theQueueWithTheOldestDataIsReclaimed() {
    Account slowReader = tracker.newAccount();
    Account fastReader = tracker.newAccount();
    TrackedQueue stale = TrackedQueue.in(slowReader, clock);
    stale.push(new byte[3 << 20]); // queued first, never read
    clock.advance(Duration.ofSeconds(5));
    TrackedQueue fresh = TrackedQueue.in(fastReader, clock);
    fresh.push(new byte[2 << 20]); // the total is now over the 4 MiB maximum

    Reclamation.runToCompletion(tracker, executor); // runs the whole reclamation cycle

    assertTrue(stale.isCollapsed(), "the oldest data goes first");
    assertThrows(IllegalStateException.class, () -> stale.push(new byte[1]));
    assertFalse(fresh.isCollapsed(), "2 MiB is at the low-water mark: nothing more to reclaim");
    assertTrue(slowReader.isClosed());
  }

  @Test
  void aQueueThatIsGarbageCollectedReleasesItsMemory() {
    Account connection = tracker.newAccount();
    TrackedQueue.in(connection, clock).push(new byte[1 << 20]); // nobody keeps the queue
    Gc.awaitCondition(
        tracker,
        () -> {
          tracker.newAccount().close(); // lets the engine notice collected participants
          return tracker.usedBytes() == 0;
        },
        Duration.ofSeconds(10),
        () -> "the collected queue's memory to be released");
    connection.close();
  }
}
// --8<-- [end:example]
