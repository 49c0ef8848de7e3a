package dev.memquota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class NoopTrackerTest {
  private static final IsParticipant NOTHING =
      new IsParticipant() {
        @Override
        public OptionalLong oldestData() {
          return OptionalLong.empty();
        }

        @Override
        public CompletionStage<Reclaimed> reclaim(ReclaimRequest request) {
          return CompletableFuture.completedFuture(Reclaimed.COLLAPSING);
        }
      };

  @Test
  void everyHandleSucceedsAndCountsNothingEvenAfterClose() {
    MemoryQuotaTracker t = MemoryQuotaTracker.noop();
    Account a = t.newAccount();
    Account child = t.newAccount(a);
    child.addParent(a);
    Participation p = a.register(NOTHING);
    p.claim(Long.MAX_VALUE);
    p.claim(Long.MAX_VALUE);
    p.release(12);
    t.close();
    a.close();
    p.close();
    p.claim(1);
    assertFalse(a.isClosed());
    assertEquals(0, t.usedBytes());
    assertEquals(QuotaConfig.unlimited(), t.config());
    assertEquals(0, t.stats().usedBytes());
    assertSame(NOTHING, a.register(participation -> NOTHING));
  }

  @Test
  void badArgumentsAreStillRejected() {
    Account a = MemoryQuotaTracker.noop().newAccount();
    assertThrows(NullPointerException.class, () -> a.register((IsParticipant) null));
    assertThrows(NullPointerException.class, () -> a.addParent(null));
    assertThrows(NullPointerException.class, () -> a.register(p -> null));
    assertThrows(IllegalArgumentException.class, () -> a.register(NOTHING).claim(-1));
  }

  @Test
  void builderRejectsBadSettings() {
    MemoryQuotaTracker.Builder b = MemoryQuotaTracker.builder();
    assertThrows(IllegalArgumentException.class, () -> b.reclaimTimeout(java.time.Duration.ZERO));
    b.provider("x");
    assertThrows(IllegalStateException.class, () -> b.provider("y"));
    assertThrows(NullPointerException.class, () -> b.clock(null));
  }
}
