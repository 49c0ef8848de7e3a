package dev.memquota.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memquota.Account;
import dev.memquota.IsParticipant;
import dev.memquota.MemoryQuotaException;
import dev.memquota.Participation;
import dev.memquota.QuotaConfig;
import dev.memquota.ReclaimRequest;
import dev.memquota.Reclaimed;
import dev.memquota.TrackerStats;
import dev.memquota.spi.TrackerSettings;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two threads claim, release, open, link and close under constant reclamation (the working set is
 * several times the maximum) on the tracker's own reclaimer thread, for {@code
 * -Dmemquota.soak.seconds} (30 in CI). Periodically and at the end, with the threads paused, every
 * invariant must hold: the records agree with the total, every open participation's count equals
 * the bytes its participant really holds, and nothing is negative; once reclamation settles, the
 * total is under the maximum.
 */
class SoakTest {
  private static final long SECONDS = Long.getLong("memquota.soak.seconds", 30);
  private static final long KIB = 1024;
  private static final long MAX = 4096 * KIB;
  private static final long LOW = 3072 * KIB;

  private final AtomicLong clock = new AtomicLong(3_600_000_000_000L);
  private final Tracker tracker =
      new Tracker(
          new TrackerSettings(
              QuotaConfig.builder().maxBytes(MAX).lowWaterBytes(LOW).build(),
              () -> clock.incrementAndGet(),
              null, // the engine's own reclaimer thread
              Duration.ofSeconds(2)));
  private final List<Chunks> all = new CopyOnWriteArrayList<>();

  /** Data stamped with the clock; collapses or reclaims partially. Thread-safe. */
  private final class Chunks implements IsParticipant {
    final boolean partial;
    Participation participation;
    private final ArrayDeque<long[]> chunks = new ArrayDeque<>();
    private long held;
    private boolean collapsed;

    Chunks(boolean partial) {
      this.partial = partial;
    }

    synchronized void claim(long bytes) {
      participation.claim(bytes); // throws once reclaimed
      chunks.add(new long[] {clock.get(), bytes});
      held += bytes;
    }

    synchronized void releaseOldest() {
      long[] c = chunks.poll();
      if (c != null) {
        participation.release(c[1]);
        held -= c[1];
      }
    }

    synchronized long held() {
      return held;
    }

    @Override
    public synchronized OptionalLong oldestData() {
      return chunks.isEmpty() ? OptionalLong.empty() : OptionalLong.of(chunks.peek()[0]);
    }

    @Override
    public synchronized CompletionStage<Reclaimed> reclaim(ReclaimRequest request) {
      if (!partial) {
        collapsed = true;
        chunks.clear();
        held = 0;
        return CompletableFuture.completedFuture(Reclaimed.COLLAPSING);
      }
      held -= StressSupport.releaseOldest(chunks, request, participation, bytes -> {});
      return CompletableFuture.completedFuture(Reclaimed.PARTIAL);
    }
  }

  @Test
  @Timeout(value = 600, unit = TimeUnit.SECONDS)
  void twoThreadsUnderConstantReclamation() throws Exception {
    StressSupport.quietEngineLog();
    AtomicBoolean stop = new AtomicBoolean();
    Object pause = new Object();
    AtomicLong ops = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    Thread[] workers = new Thread[2];
    for (int w = 0; w < 2; w++) {
      long seed = w * 0x9E3779B97F4A7C15L + System.nanoTime();
      workers[w] =
          new Thread(
              () -> {
                try {
                  work(new SplittableRandom(seed), stop, pause, ops, refused);
                } catch (Throwable e) {
                  failures.add(e);
                }
              },
              "soak worker " + w);
      workers[w].start();
    }
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
    int checks = 0;
    try {
      while (System.nanoTime() < end && failures.isEmpty()) {
        Thread.sleep(Math.min(1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        synchronized (pause) { // workers take this lock for each operation: they are paused now
          checkInvariants(false);
          checks++;
        }
      }
    } finally {
      stop.set(true);
      for (Thread t : workers) {
        t.join(10_000);
      }
    }
    assertTrue(failures.isEmpty(), "a worker failed: " + failures);
    awaitSettled();
    checkInvariants(true);
    TrackerStats s = tracker.stats();
    System.out.printf(
        "SoakTest: %d s, %d operations (%d refused: reclaimed handles), %d invariant checks, %s%n",
        SECONDS, ops.get(), refused.get(), checks + 1, s);
    assertTrue(s.reclamationCycles() > 10, "reclamation ran constantly: " + s);
    tracker.close();
    StressSupport.restoreEngineLog();
  }

  private void work(
      SplittableRandom rnd, AtomicBoolean stop, Object pause, AtomicLong ops, AtomicLong refused) {
    List<Account> accounts = new ArrayList<>();
    List<Chunks> mine = new ArrayList<>();
    while (!stop.get()) {
      synchronized (pause) {
        try {
          int r = rnd.nextInt(100);
          if (r < 5 || accounts.isEmpty()) {
            Account a =
                !accounts.isEmpty() && rnd.nextBoolean()
                    ? accounts.get(rnd.nextInt(accounts.size())).newChild()
                    : tracker.newAccount();
            accounts.add(a);
          } else if (r < 8) {
            Account child = accounts.get(rnd.nextInt(accounts.size()));
            Account parent = accounts.get(rnd.nextInt(accounts.size()));
            try {
              child.addParent(parent);
            } catch (IllegalArgumentException cycleOrDuplicate) {
              // expected now and then
            }
          } else if (r < 18) {
            Chunks c = new Chunks(rnd.nextInt(3) == 0);
            c.participation = accounts.get(rnd.nextInt(accounts.size())).register(c);
            mine.add(c);
            all.add(c);
          } else if (r < 65 && !mine.isEmpty()) {
            mine.get(rnd.nextInt(mine.size())).claim(1 + rnd.nextLong(rnd.nextInt(10) == 0 ? 200 * KIB : 8 * KIB));
          } else if (r < 95 && !mine.isEmpty()) {
            mine.get(rnd.nextInt(mine.size())).releaseOldest();
          } else if (r < 97 && !mine.isEmpty()) {
            Chunks c = mine.remove(rnd.nextInt(mine.size()));
            c.participation.close();
            all.remove(c);
          } else if (!accounts.isEmpty()) {
            accounts.remove(rnd.nextInt(accounts.size())).close();
          }
        } catch (MemoryQuotaException reclaimed) {
          refused.incrementAndGet();
        }
        ops.incrementAndGet();
        // forget what reclamation took, so that the working set keeps turning over
        if (accounts.size() > 200) {
          accounts.removeIf(Account::isClosed);
        }
        if (mine.size() > 400) {
          mine.removeIf(c -> Ledger.isClosed((ParticipationRecord) c.participation));
          all.removeIf(c -> Ledger.isClosed((ParticipationRecord) c.participation));
        }
      }
    }
  }

  /** With the workers paused (the reclaimer may still run): checks everything that must hold. */
  private void checkInvariants(boolean settled) {
    long total = tracker.usedBytes();
    assertTrue(total >= 0, "negative total " + total);
    if (settled) {
      tracker.checkConsistency();
      assertTrue(total <= MAX, "settled above the maximum: " + tracker.stats());
    }
    for (Chunks c : all) {
      synchronized (c) { // a reclaim in progress holds this lock, so counts are not mid-change
        ParticipationRecord r = (ParticipationRecord) c.participation;
        long used = Ledger.used(r);
        long held = Ledger.held(r);
        if (Ledger.isClosed(r)) {
          continue; // closed by the reclaimer between or before the reads (closing is final)
        }
        assertTrue(used >= 0 && held >= used && held - used <= Ledger.CACHE_MAX, r.toString());
        // A participant that has answered COLLAPSING holds nothing, but its participation is closed
        // only when the reclaimer handles the answer, in its next task: skip that window.
        if (!c.collapsed) {
          assertEquals(c.held(), used, "an open participation counts exactly what its participant holds");
        }
      }
    }
  }

  private void awaitSettled() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!tracker.stats().reclaiming() && tracker.usedBytes() <= MAX) {
        Thread.sleep(50);
        if (!tracker.stats().reclaiming()) {
          return;
        }
      }
      Thread.sleep(10);
    }
  }
}
