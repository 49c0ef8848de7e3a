package dev.memquota.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memquota.Account;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.ParticipantClosedException;
import dev.memquota.QuotaConfig;
import dev.memquota.ReclaimRequest;
import dev.memquota.Reclaimed;
import dev.memquota.spi.TrackerSettings;
import dev.memquota.testkit.FakeParticipant.Answer;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fake's own behaviour, on the reference engine (no reclamation is triggered here). */
class FakeParticipantTest {
  private final ManualClock clock = new ManualClock();
  private final MemoryQuotaTracker tracker =
      new ReferenceProvider()
          .create(
              new TrackerSettings(
                  QuotaConfig.builder().maxBytes(64 << 20).build(),
                  clock,
                  new ManualExecutor(),
                  Duration.ofSeconds(5)));
  private final Account account = tracker.newAccount();

  @AfterEach
  void close() {
    tracker.close();
  }

  @Test
  void holdsChunksAndReportsTheOldest() {
    FakeParticipant f = FakeParticipant.register(account, clock).holdingAt(50, 10).holding(5);
    assertEquals(OptionalLong.of(50), f.oldestData());
    assertEquals(15, f.heldBytes());
    assertEquals(15, tracker.usedBytes());
    assertEquals(1, f.oldestDataCalls());
  }

  @Test
  void releasesOldestChunksUpToTheRequestAndStopsWhenEnoughIsGone() {
    FakeParticipant f =
        FakeParticipant.register(account, clock)
            .holdingAt(1, 10)
            .holdingAt(2, 10)
            .holdingAt(3, 10)
            .holdingAt(9, 10)
            .answering(Answer.RELEASE_OLDEST);
    assertEquals(Reclaimed.PARTIAL, answer(f.reclaim(new ReclaimRequest(5, 15))));
    assertEquals(List.of(3L, 9L), List.copyOf(f.chunks().keySet()));
    f.reclaim(new ReclaimRequest(5, 1000));
    assertEquals(List.of(9L), List.copyOf(f.chunks().keySet()));
    assertEquals(10, tracker.usedBytes());
    assertEquals(2, f.requests().size());
  }

  @Test
  void collapsingClosesTheParticipation() {
    FakeParticipant f = FakeParticipant.register(account, clock).holding(100);
    assertEquals(Reclaimed.COLLAPSING, answer(f.reclaim(new ReclaimRequest(0, 0))));
    assertTrue(f.hasCollapsed());
    assertEquals(0, f.heldBytes());
    assertEquals(0, tracker.usedBytes());
    assertThrows(ParticipantClosedException.class, () -> f.participation().claim(1));
  }

  @Test
  void completesOnDemand() {
    FakeParticipant f = FakeParticipant.register(account, clock).holding(100).completingOnDemand();
    CompletionStage<Reclaimed> stage = f.reclaim(new ReclaimRequest(0, 0));
    assertFalse(stage.toCompletableFuture().isDone());
    assertEquals(100, tracker.usedBytes());
    assertEquals(1, f.completePending());
    assertEquals(Reclaimed.COLLAPSING, answer(stage));
  }

  @Test
  void scriptedFaults() {
    FakeParticipant f = FakeParticipant.register(account, clock).holding(1);
    f.answering(Answer.THROW);
    assertThrows(IllegalStateException.class, () -> f.reclaim(new ReclaimRequest(0, 0)));
    f.answering(Answer.FAIL);
    assertTrue(f.reclaim(new ReclaimRequest(0, 0)).toCompletableFuture().isCompletedExceptionally());
    f.answering(Answer.PARTIAL_WITHOUT_RELEASE);
    assertEquals(Reclaimed.PARTIAL, answer(f.reclaim(new ReclaimRequest(0, 0))));
    assertEquals(1, f.heldBytes());
    f.answering(Answer.PARTIAL_WITHOUT_RELEASE).completingTwice();
    assertEquals(Reclaimed.COLLAPSING, answer(f.reclaim(new ReclaimRequest(0, 0))));
    f.reportingNoData();
    assertEquals(OptionalLong.empty(), f.oldestData());
    f.failingOldestData();
    assertThrows(IllegalStateException.class, f::oldestData);
  }

  private static Reclaimed answer(CompletionStage<Reclaimed> stage) {
    return stage.toCompletableFuture().getNow(null);
  }
}
