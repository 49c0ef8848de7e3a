package dev.memquota.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memquota.Account;
import dev.memquota.AccountClosedException;
import dev.memquota.ParticipantClosedException;
import dev.memquota.QuotaConfig;
import dev.memquota.TrackerShutdownException;
import dev.memquota.spi.TrackerSettings;
import java.time.Duration;
import java.util.ArrayDeque;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The cache arithmetic of {@link Ledger}: refill and return sequences keep every total exact. */
class LedgerTest {
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  private final Tracker tracker =
      new Tracker(
          new TrackerSettings(
              QuotaConfig.builder().maxBytes(1 << 30).build(),
              () -> 1_000_000_000L,
              tasks::add,
              Duration.ofSeconds(1)));
  private final dev.memquota.IsParticipant idle = StressSupport.idle(); // a field: held only weakly by the tracker

  @AfterEach
  void consistent() {
    tracker.checkConsistency();
  }

  /** Accounts must be held, or the cleaner closes them once their handles are collected. */
  private final java.util.List<Account> accounts = new java.util.ArrayList<>();

  private ParticipationRecord register() {
    Account account = tracker.newAccount();
    accounts.add(account);
    return (ParticipationRecord) account.register(idle);
  }

  @Test
  void registrationPreClaimsNothing() {
    ParticipationRecord p = register();
    assertEquals(0, tracker.usedBytes());
    assertEquals(0, Ledger.held(p));
  }

  @Test
  void smallClaimRefillsCacheToThreeQuarters() {
    ParticipationRecord p = register();
    p.claim(100);
    assertEquals(100, Ledger.used(p));
    assertEquals(100 + Ledger.REFILL, tracker.usedBytes());
    p.claim(Ledger.REFILL); // exactly the cache: stays local
    assertEquals(100 + Ledger.REFILL, tracker.usedBytes());
    p.claim(1); // cache empty: refill again
    assertEquals(100 + Ledger.REFILL + 1 + Ledger.REFILL, tracker.usedBytes());
  }

  @Test
  void releaseOverflowingCacheReturnsDownToOneQuarter() {
    ParticipationRecord p = register();
    p.claim(100_000);
    long before = tracker.usedBytes();
    assertEquals(100_000 + Ledger.REFILL, before);
    p.release(Ledger.CACHE_MAX - Ledger.REFILL); // cache now exactly full: no return
    assertEquals(before, tracker.usedBytes());
    p.release(1); // overflow: keep a quarter
    assertEquals(Ledger.used(p) + Ledger.RETAIN, tracker.usedBytes());
  }

  @Test
  void longRandomSequenceKeepsTotalsExactAndBounded() {
    ParticipationRecord[] ps = {register(), register(), register()};
    long[] model = new long[ps.length];
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(42);
    for (int i = 0; i < 100_000; i++) {
      int k = rnd.nextInt(ps.length);
      long n = rnd.nextInt(3) == 0 ? rnd.nextLong(1, 70_000) : rnd.nextLong(1, 2_000);
      if (rnd.nextBoolean() && model[k] >= n) {
        ps[k].release(n);
        model[k] -= n;
      } else {
        ps[k].claim(n);
        model[k] += n;
      }
      long sum = model[0] + model[1] + model[2];
      long used = tracker.usedBytes();
      assertTrue(used >= sum && used <= sum + ps.length * Ledger.CACHE_MAX, "step " + i);
      assertEquals(model[k], Ledger.used(ps[k]));
    }
    for (ParticipationRecord p : ps) {
      p.close();
    }
    assertEquals(0, tracker.usedBytes());
  }

  @Test
  void badInputChangesNothing() {
    ParticipationRecord p = register();
    p.claim(5000);
    long used = tracker.usedBytes();
    IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> p.claim(-1));
    assertTrue(neg.getMessage().contains("-1"), neg.getMessage());
    assertThrows(IllegalArgumentException.class, () -> p.release(-7));
    IllegalArgumentException over = assertThrows(IllegalArgumentException.class, () -> p.release(5001));
    assertTrue(over.getMessage().contains("5001") && over.getMessage().contains("5000"), over.getMessage());
    assertThrows(IllegalArgumentException.class, () -> p.claim(Long.MAX_VALUE));
    assertThrows(IllegalArgumentException.class, () -> p.claim(Ledger.USED_MAX));
    assertEquals(used, tracker.usedBytes());
    assertEquals(5000, Ledger.used(p));
  }

  @Test
  void totalOverflowAcrossParticipationsIsRejected() {
    ParticipationRecord a = register();
    ParticipationRecord b = register();
    a.claim(Ledger.USED_MAX - Ledger.REFILL);
    long used = tracker.usedBytes();
    // The total is near 2^47, far from overflow: the per-participation limit is what guards here.
    assertThrows(IllegalArgumentException.class, () -> a.claim(Ledger.REFILL + 1));
    b.claim(1);
    assertEquals(used + 1 + Ledger.REFILL, tracker.usedBytes());
  }

  @Test
  void closedParticipationsSayWhy() {
    Account account = tracker.newAccount();
    ParticipationRecord p = (ParticipationRecord) account.register(idle);
    ParticipationRecord q = (ParticipationRecord) account.register(idle);
    p.claim(10);
    p.close();
    assertEquals(false, assertThrows(ParticipantClosedException.class, () -> p.claim(1)).reclaimed());
    p.release(10); // no-op, never throws
    account.close();
    assertEquals(false, assertThrows(AccountClosedException.class, () -> q.claim(1)).reclaimed());
    ParticipationRecord r = register();
    r.claim(3);
    tracker.close();
    assertThrows(TrackerShutdownException.class, () -> r.claim(1));
    r.release(3);
    assertEquals(0, tracker.usedBytes());
  }
}
