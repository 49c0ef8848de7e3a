package dev.memquota.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memquota.Account;
import dev.memquota.IsParticipant;
import dev.memquota.MemoryQuotaException;
import dev.memquota.ParticipantClosedException;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Participants that misbehave. In every case three accounts hold data: A (the faulty participant,
 * oldest data, 1.5 MiB), B (1 MiB, younger) and C (1 MiB, youngest), over a maximum of 3.5 MiB with
 * a low-water mark of 1.5 MiB. Whatever A's participant does, the reclaimer (a real thread) must
 * not deadlock, must treat A as collapsed, must go on to reclaim B, must leave C alone, and the
 * tracker's records must agree with its total afterwards. A watchdog turns a hang into a failure
 * with a thread dump.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultParticipantTest {
  private static final long MIB = 1 << 20;
  private static final Duration RECLAIM_TIMEOUT = Duration.ofMillis(300);
  private static final Duration WATCHDOG = Duration.ofSeconds(20);

  private final ExecutorService reclaimerThread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "fault-test reclaimer");
            t.setDaemon(true);
            return t;
          });
  private final Tracker tracker =
      new Tracker(
          new TrackerSettings(
              QuotaConfig.builder().maxBytes(3 * MIB + MIB / 2).lowWaterBytes(MIB + MIB / 2).build(),
              () -> 1_000_000L,
              reclaimerThread,
              RECLAIM_TIMEOUT));

  @BeforeAll
  static void quiet() {
    StressSupport.quietEngineLog(); // each fault is logged as a WARNING, by design
  }

  @AfterAll
  static void restore() {
    StressSupport.restoreEngineLog();
  }

  @AfterEach
  void stop() {
    tracker.close();
    reclaimerThread.shutdownNow();
  }

  /** What the faulty participant does; {@code self} gives it its participation and account. */
  private static final class Faulty implements IsParticipant {
    final Function<Faulty, OptionalLong> oldest;
    final Function<Faulty, CompletionStage<Reclaimed>> reclaim;
    volatile Participation participation;
    volatile Account account;
    volatile Tracker tracker;
    final AtomicInteger oldestCalls = new AtomicInteger();
    final AtomicInteger reclaimCalls = new AtomicInteger();
    final List<Object> reentrantResults = new ArrayList<>();
    /** Strong references to what the callbacks created, so nothing is collected under the test. */
    final List<Object> keep = new ArrayList<>();

    Faulty(
        Function<Faulty, OptionalLong> oldest, Function<Faulty, CompletionStage<Reclaimed>> reclaim) {
      this.oldest = oldest;
      this.reclaim = reclaim;
    }

    @Override
    public OptionalLong oldestData() {
      oldestCalls.incrementAndGet();
      return oldest.apply(this);
    }

    @Override
    public CompletionStage<Reclaimed> reclaim(ReclaimRequest request) {
      reclaimCalls.incrementAndGet();
      return reclaim.apply(this);
    }

    /** Runs a re-entrant call; records its result or the library exception it threw. */
    synchronized void reenter(Runnable call) {
      try {
        call.run();
        reentrantResults.add("ok");
      } catch (MemoryQuotaException e) {
        reentrantResults.add(e.getClass().getSimpleName());
      }
    }
  }

  /** An honest participant: data stamped at a fixed time, collapses when asked. */
  private static final class Honest implements IsParticipant {
    final long stamp;
    volatile boolean collapsed;

    Honest(long stamp) {
      this.stamp = stamp;
    }

    @Override
    public OptionalLong oldestData() {
      return collapsed ? OptionalLong.empty() : OptionalLong.of(stamp);
    }

    @Override
    public CompletionStage<Reclaimed> reclaim(ReclaimRequest request) {
      collapsed = true;
      return CompletableFuture.completedFuture(Reclaimed.COLLAPSING);
    }
  }

  private static OptionalLong oldestAt100(Faulty f) {
    return OptionalLong.of(100);
  }

  private static CompletionStage<Reclaimed> collapse(Faulty f) {
    return CompletableFuture.completedFuture(Reclaimed.COLLAPSING);
  }

  /**
   * Runs the three-account scenario with {@code faulty} in A, waits (under the watchdog) for
   * reclamation to settle, and checks the outcome every fault must have.
   */
  private Account[] runScenario(Faulty faulty) throws Exception {
    return StressSupport.withWatchdog(
        WATCHDOG,
        () -> {
          Account a = tracker.newAccount();
          Account b = tracker.newAccount();
          Account c = tracker.newAccount();
          faulty.account = a;
          faulty.tracker = tracker;
          faulty.participation = a.register(faulty);
          Honest hb = new Honest(200);
          Honest hc = new Honest(300);
          Participation pb = b.register(hb);
          Participation pc = c.register(hc);
          faulty.participation.claim(MIB + MIB / 2);
          pb.claim(MIB);
          pc.claim(MIB); // over the maximum: wakes the reclaimer thread
          awaitQuiet(() -> b.isClosed() && tracker.usedBytes() <= MIB + MIB / 2);
          assertTrue(b.isClosed(), "reclamation went on past the faulty participant to B");
          assertFalse(c.isClosed(), "C, the youngest, is left alone");
          assertFalse(hc.collapsed);
          assertTrue(
              faulty.participation == null || isGone(faulty.participation),
              "the faulty participant is treated as collapsed");
          assertThrows(MemoryQuotaException.class, () -> faulty.participation.claim(1));
          assertTrue(tracker.usedBytes() <= MIB + MIB / 2, tracker.stats().toString());
          tracker.checkConsistency();
          // The tracker still works: C claims over the maximum and is reclaimed in turn.
          pc.claim(3 * MIB);
          awaitQuiet(c::isClosed);
          assertTrue(c.isClosed(), "a later cycle still runs");
          tracker.checkConsistency();
          return new Account[] {a, b, c};
        });
  }

  private static boolean isGone(Participation p) {
    return Ledger.isClosed((ParticipationRecord) p);
  }

  /** Waits until {@code done} and no cycle runs, or 10 s; the caller then asserts. */
  private void awaitQuiet(BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (done.getAsBoolean() && !tracker.stats().reclaiming()) {
        // Let anything already queued on the reclaimer thread finish.
        CompletableFuture.runAsync(() -> {}, reclaimerThread).join();
        if (done.getAsBoolean() && !tracker.stats().reclaiming()) {
          return;
        }
      }
      Thread.sleep(5);
    }
  }

  // ---- faults in oldestData ----------------------------------------------------------------

  @Test
  void oldestDataThatThrowsCollapsesOnlyThatParticipant() throws Exception {
    Faulty f =
        new Faulty(
            self -> {
              throw new IllegalStateException("boom in oldestData");
            },
            FaultParticipantTest::collapse);
    runScenario(f);
    ParticipantClosedException e =
        assertThrows(ParticipantClosedException.class, () -> f.participation.claim(1));
    assertTrue(e.reclaimed(), e.getMessage());
    assertEquals(0, f.reclaimCalls.get(), "a participant that threw is not asked to reclaim");
  }

  @Test
  void oldestDataThatThrowsAnErrorIsContainedToo() throws Exception {
    Faulty f =
        new Faulty(
            self -> {
              throw new AssertionError("an Error from oldestData");
            },
            FaultParticipantTest::collapse);
    runScenario(f);
  }

  @Test
  void oldestDataReturningNullCountsAsNoData() throws Exception {
    // null instead of OptionalLong.empty(): holding 1.5 MiB "without data" makes it a liar.
    Faulty f = new Faulty(self -> null, FaultParticipantTest::collapse);
    runScenario(f);
    assertEquals(1, f.reclaimCalls.get(), "a liar holding more than a cache counts as oldest");
  }

  // ---- faults in reclaim -------------------------------------------------------------------

  @Test
  void reclaimThatThrowsCountsAsCollapsed() throws Exception {
    Faulty f =
        new Faulty(
            FaultParticipantTest::oldestAt100,
            self -> {
              throw new IllegalStateException("boom in reclaim");
            });
    Account[] abc = runScenario(f);
    assertTrue(abc[0].isClosed(), "its account is reclaimed");
  }

  @Test
  void reclaimReturningNullCountsAsCollapsed() throws Exception {
    Faulty f = new Faulty(FaultParticipantTest::oldestAt100, self -> null);
    assertTrue(runScenario(f)[0].isClosed());
  }

  @Test
  void reclaimCompletedExceptionallyCountsAsCollapsed() throws Exception {
    Faulty f =
        new Faulty(
            FaultParticipantTest::oldestAt100,
            self -> CompletableFuture.failedFuture(new IllegalStateException("failed stage")));
    assertTrue(runScenario(f)[0].isClosed());
  }

  @Test
  void reclaimThatNeverCompletesTimesOut() throws Exception {
    Faulty f = new Faulty(FaultParticipantTest::oldestAt100, self -> new CompletableFuture<>());
    long t0 = System.nanoTime();
    assertTrue(runScenario(f)[0].isClosed());
    assertTrue(
        System.nanoTime() - t0 >= RECLAIM_TIMEOUT.toNanos(), "it waited for the timeout first");
  }

  @Test
  void reclaimThatCompletesTwiceIsCountedOnce() throws Exception {
    Faulty f =
        new Faulty(
            FaultParticipantTest::oldestAt100,
            self -> {
              TwiceStage stage = new TwiceStage();
              stage.complete(Reclaimed.COLLAPSING);
              return stage;
            });
    Account[] abc = runScenario(f);
    assertTrue(abc[0].isClosed());
    TrackerStats s = tracker.stats();
    assertEquals(3, s.accountsReclaimed(), "A, B and later C, each once: " + s);
  }

  @Test
  void reclaimThatChangesItsAnswerAfterCompletingIsCountedOnce() throws Exception {
    Faulty f =
        new Faulty(
            FaultParticipantTest::oldestAt100,
            self -> {
              CompletableFuture<Reclaimed> stage = new CompletableFuture<>();
              stage.complete(Reclaimed.COLLAPSING);
              stage.obtrudeValue(Reclaimed.PARTIAL); // a buggy participant rewrites its answer
              stage.obtrudeException(new IllegalStateException("and again"));
              return stage;
            });
    assertTrue(runScenario(f)[0].isClosed());
  }

  @Test
  void reclaimThatCompletesLateIsIgnored() throws Exception {
    CompletableFuture<Reclaimed> late = new CompletableFuture<>();
    Faulty f =
        new Faulty(
            FaultParticipantTest::oldestAt100,
            self -> {
              CompletableFuture.delayedExecutor(RECLAIM_TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS)
                  .execute(
                      () -> {
                        // Too late: it was collapsed at the timeout. Its release does nothing.
                        self.participation.release(MIB);
                        late.complete(Reclaimed.PARTIAL);
                      });
              return late;
            });
    assertTrue(runScenario(f)[0].isClosed());
    late.get(10, TimeUnit.SECONDS);
    awaitQuiet(() -> true);
    tracker.checkConsistency();
    assertEquals(0, tracker.usedBytes(), "nothing came back or went twice: " + tracker.stats());
  }

  // ---- callbacks that re-enter the tracker ---------------------------------------------------

  /** Every kind of re-entrant call, made from inside a callback. */
  private static void reenterEverything(Faulty self) {
    self.reenter(() -> self.participation.claim(1000));
    self.reenter(() -> self.participation.release(500));
    self.reenter(() -> self.keep.add(self.account.register(new Honest(50))));
    self.reenter(() -> self.keep.add(self.tracker.newAccount()));
    self.reenter(() -> self.keep.add(self.account.newChild()));
    self.reenter(() -> self.tracker.stats());
  }

  @Test
  void oldestDataThatReentersTheTracker() throws Exception {
    Faulty f =
        new Faulty(
            self -> {
              if (self.oldestCalls.get() == 1) {
                reenterEverything(self);
              }
              return OptionalLong.of(100);
            },
            FaultParticipantTest::collapse);
    runScenario(f);
    assertTrue(f.reentrantResults.contains("ok"), f.reentrantResults.toString());
  }

  @Test
  void reclaimThatReentersTheTracker() throws Exception {
    Faulty f =
        new Faulty(
            FaultParticipantTest::oldestAt100,
            self -> {
              reenterEverything(self);
              return CompletableFuture.completedFuture(Reclaimed.COLLAPSING);
            });
    runScenario(f);
    assertTrue(f.reentrantResults.contains("ok"), f.reentrantResults.toString());
  }

  @Test
  void oldestDataThatClosesItsOwnParticipation() throws Exception {
    Faulty f =
        new Faulty(
            self -> {
              self.reenter(() -> self.participation.close());
              return OptionalLong.of(100);
            },
            FaultParticipantTest::collapse);
    runScenario(f);
  }

  @Test
  void oldestDataThatClosesItsOwnAccount() throws Exception {
    Faulty f =
        new Faulty(
            self -> {
              self.reenter(() -> self.account.close());
              return OptionalLong.of(100);
            },
            FaultParticipantTest::collapse);
    runScenario(f);
  }

  @Test
  void reclaimThatClosesItsParticipationAndAccount() throws Exception {
    Faulty f =
        new Faulty(
            FaultParticipantTest::oldestAt100,
            self -> {
              self.reenter(() -> self.participation.close());
              self.reenter(() -> self.account.close());
              return CompletableFuture.completedFuture(Reclaimed.COLLAPSING);
            });
    runScenario(f);
  }

  @Test
  void reclaimThatAnswersFromAnotherThreadWhileReentering() throws Exception {
    Faulty f =
        new Faulty(
            FaultParticipantTest::oldestAt100,
            self ->
                CompletableFuture.supplyAsync(
                    () -> {
                      reenterEverything(self);
                      return Reclaimed.COLLAPSING;
                    }));
    runScenario(f);
  }

  // ---- a field where no candidate remains ------------------------------------------------------

  /**
   * 40 participants each hold 15,000 bytes (under one cache) and report no data: over the maximum
   * with no candidate at all. A cycle finds nothing to do; the reclaimer must then go idle, not
   * start cycle after cycle for as long as the total stays high.
   */
  @Test
  void noCandidateDoesNotMakeTheReclaimerSpin() throws Exception {
    Tracker small =
        new Tracker(
            new TrackerSettings(
                QuotaConfig.builder().maxBytes(512 * 1024).lowWaterBytes(384 * 1024).build(),
                () -> 1_000_000L,
                reclaimerThread,
                RECLAIM_TIMEOUT));
    try {
      StressSupport.withWatchdog(
          WATCHDOG,
          () -> {
            List<IsParticipant> keep = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
              IsParticipant silent = StressSupport.idle();
              keep.add(silent);
              small.newAccount().register(silent).claim(15_000);
            }
            assertTrue(small.usedBytes() > 512 * 1024, small.stats().toString());
            Thread.sleep(300);
            long cycles = small.stats().reclamationCycles();
            Thread.sleep(500);
            long later = small.stats().reclamationCycles();
            assertTrue(
                later - cycles <= 1 && cycles <= 40,
                "the reclaimer keeps starting cycles with nothing to reclaim: "
                    + cycles
                    + " cycles, then "
                    + (later - cycles)
                    + " more in 500 ms");
            small.checkConsistency();
            assertEquals(40, keep.size());
            return null;
          });
    } finally {
      small.close();
    }
  }

  /**
   * The same field with no candidate, but while the cycle asks for ages, one participant's
   * oldestData() opens a new account and claims 1 MiB of old data through it: that claim crosses
   * the maximum while the cycle runs, so its wake-up is absorbed by the running cycle. The cycle
   * ends with no candidate; the absorbed wake-up must still start the next cycle, which reclaims
   * the new account.
   */
  @Test
  void claimOverMaxDuringACycleWithoutCandidatesIsNotLost() throws Exception {
    ArrayDeque<Runnable> queue = new ArrayDeque<>();
    Tracker manual =
        new Tracker(
            new TrackerSettings(
                QuotaConfig.builder().maxBytes(512 * 1024).lowWaterBytes(384 * 1024).build(),
                () -> 1_000_000L,
                queue::add,
                RECLAIM_TIMEOUT));
    List<Object> keep = new ArrayList<>();
    AtomicBoolean reentered = new AtomicBoolean();
    Account[] late = new Account[1];
    for (int i = 0; i < 40; i++) {
      IsParticipant silent =
          new IsParticipant() {
            @Override
            public OptionalLong oldestData() {
              if (reentered.compareAndSet(false, true)) {
                late[0] = manual.newAccount();
                Honest old = new Honest(100);
                keep.add(old);
                late[0].register(old).claim(MIB);
              }
              return OptionalLong.empty();
            }

            @Override
            public CompletionStage<Reclaimed> reclaim(ReclaimRequest request) {
              return CompletableFuture.completedFuture(Reclaimed.COLLAPSING);
            }
          };
      keep.add(silent);
      manual.newAccount().register(silent).claim(15_000);
    }
    for (int n = 0; n < 1000 && !queue.isEmpty(); n++) {
      queue.poll().run();
    }
    assertTrue(queue.isEmpty(), "reclamation settles");
    assertTrue(reentered.get());
    assertTrue(
        late[0].isClosed(),
        "the claim over the maximum made during the cycle was never acted on: " + manual.stats());
    manual.checkConsistency();
    manual.close();
  }

  /** A stage that runs every completion callback twice: a broken CompletionStage implementation. */
  private static final class TwiceStage extends CompletableFuture<Reclaimed> {
    @Override
    public CompletableFuture<Reclaimed> whenComplete(
        BiConsumer<? super Reclaimed, ? super Throwable> action) {
      super.whenComplete(action);
      return super.whenComplete(action);
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
      return new CompletableFuture<>();
    }
  }
}
