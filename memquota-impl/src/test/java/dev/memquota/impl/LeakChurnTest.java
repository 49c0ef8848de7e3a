package dev.memquota.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memquota.Account;
import dev.memquota.IsParticipant;
import dev.memquota.Participation;
import dev.memquota.QuotaConfig;
import dev.memquota.TrackerStats;
import dev.memquota.spi.TrackerSettings;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A churn of 1,000,000 accounts, each with a participant that claims and releases, and then is
 * closed (participation or account) or simply dropped for the garbage collector. Afterwards the
 * tracker's tables are back to empty and the retained heap is flat.
 */
class LeakChurnTest {
  private static final int CHURN = Integer.getInteger("memquota.leak.churn", 1_000_000);
  /** Allowed growth of the retained heap across the churn. */
  private static final long SLACK_BYTES = 8L << 20;

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void churnLeavesTablesEmptyAndHeapFlat() throws Exception {
    StressSupport.quietEngineLog();
    Tracker tracker =
        new Tracker(
            new TrackerSettings(
                QuotaConfig.builder().maxBytes(256L << 20).build(),
                () -> 1_000_000L,
                task -> {}, // never needed: the total stays far below the maximum
                Duration.ofSeconds(5)));
    try {
      churn(tracker, 20_000, 1); // warm up classes and the JIT before measuring
      drain(tracker);
      long heapBefore = retainedHeap();
      TrackerStats start = tracker.stats();
      long t0 = System.nanoTime();
      long dropped = churn(tracker, CHURN, 2);
      long churnMillis = (System.nanoTime() - t0) / 1_000_000;
      long drainMillis = drain(tracker);
      long heapAfter = retainedHeap();
      TrackerStats end = tracker.stats();
      System.out.printf(
          "LeakChurnTest: %d accounts and participants (%d dropped for GC) in %d ms, drained in %d"
              + " ms; retained heap %d -> %d bytes (%+d)%n",
          CHURN, dropped, churnMillis, drainMillis, heapBefore, heapAfter, heapAfter - heapBefore);
      assertEquals(0, end.accounts(), "accounts back to " + start.accounts());
      assertEquals(0, end.participants(), "participants back to " + start.participants());
      assertEquals(0, end.usedBytes());
      tracker.checkConsistency();
      assertTrue(
          heapAfter - heapBefore < SLACK_BYTES,
          "retained heap grew by " + (heapAfter - heapBefore) + " bytes over the churn");
    } finally {
      tracker.close();
      StressSupport.restoreEngineLog();
    }
  }

  /** Opens, uses and closes or drops {@code n} accounts; returns how many were dropped. */
  private static long churn(Tracker tracker, int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long dropped = 0;
    Account parent = null;
    for (int i = 0; i < n; i++) {
      Account a =
          parent != null && !parent.isClosed() && rnd.nextInt(4) == 0
              ? parent.newChild()
              : tracker.newAccount();
      IsParticipant idle = StressSupport.idle();
      Participation p = a.register(idle);
      long bytes = 1 + rnd.nextInt(40_000);
      p.claim(bytes);
      p.release(rnd.nextLong(bytes + 1));
      switch (rnd.nextInt(4)) {
        case 0 -> p.close(); // the participation goes; the account is closed next
        case 1 -> {}
        case 2 -> {
          // dropped: neither the account handle nor the participant is referenced any more
          dropped++;
          continue;
        }
        default -> {
          if (parent != null) {
            parent.close();
          }
          parent = a; // kept open a while, with children
          continue;
        }
      }
      a.close();
    }
    if (parent != null) {
      parent.close();
    }
    return dropped;
  }

  /** GC until the cleaner has closed every dropped account and the registry drained. */
  private static long drain(Tracker tracker) throws InterruptedException {
    long t0 = System.nanoTime();
    long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
      tracker.registry.drainCollected();
      TrackerStats s = tracker.stats();
      if (s.accounts() == 0 && s.participants() == 0) {
        break;
      }
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static long retainedHeap() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
      best = Math.min(best, rt.totalMemory() - rt.freeMemory());
    }
    return best;
  }
}
