package dev.memquota.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memquota.Account;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.QuotaConfig;
import dev.memquota.testkit.Gc;
import dev.memquota.testkit.ManualClock;
import dev.memquota.testkit.ManualExecutor;
import dev.memquota.testkit.Reclamation;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The README's "Testing your own participant" example: the quick-start's buffer under test. */
// README:testing:begin
class PacketBufferTest {
  final ManualClock clock = new ManualClock();
  final ManualExecutor executor = new ManualExecutor(); // reclamation runs only when we say so
  final MemoryQuotaTracker tracker =
      MemoryQuotaTracker.builder()
          .config(QuotaConfig.builder().maxBytes(4 << 20).lowWaterBytes(3 << 20).build())
          .clock(clock)
          .executor(executor)
          .build();

  @AfterEach
  void closeTracker() {
    tracker.close();
  }

  @Test
  void countsWhatItHoldsAndReleasesOnPoll() {
    Account connection = tracker.newAccount();
    PacketBuffer buffer = connection.register(p -> new PacketBuffer(p, clock));
    buffer.add(new byte[1000]);
    assertTrue(tracker.usedBytes() >= 1000); // plus at most one 16 KiB cache
    buffer.poll();
    connection.close();
    assertEquals(0, tracker.usedBytes());
  }

  @Test
  void theBufferWithTheOldestDataIsReclaimed() {
    Account slowReader = tracker.newAccount();
    PacketBuffer stale = slowReader.register(p -> new PacketBuffer(p, clock));
    stale.add(new byte[3 << 20]); // queued first, never read
    clock.advance(Duration.ofSeconds(5));
    Account fastReader = tracker.newAccount();
    PacketBuffer fresh = fastReader.register(p -> new PacketBuffer(p, clock));
    fresh.add(new byte[2 << 20]); // the total is now over the 4 MiB maximum

    Reclamation.runToCompletion(tracker, executor); // runs the whole cycle on this thread

    assertTrue(slowReader.isClosed(), "the oldest data goes first");
    assertFalse(stale.add(new byte[1]), "a reclaimed buffer refuses data");
    assertFalse(fastReader.isClosed(), "2 MiB is below the 3 MiB low-water mark");
  }

  @Test
  void aBufferThatIsGarbageCollectedReleasesItsMemory() {
    Account connection = tracker.newAccount();
    connection.register(p -> new PacketBuffer(p, clock)).add(new byte[1 << 20]); // not kept
    Gc.awaitCondition(
        tracker,
        () -> {
          tracker.newAccount().close(); // lets the engine notice collected participants
          return tracker.usedBytes() == 0;
        },
        Duration.ofSeconds(10),
        () -> "the collected buffer's memory to be released");
    connection.close();
  }
}
// README:testing:end
