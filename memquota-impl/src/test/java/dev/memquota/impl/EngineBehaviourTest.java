package dev.memquota.impl;

import static dev.memquota.impl.Harness.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memquota.Account;
import dev.memquota.IsParticipant;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.Participation;
import dev.memquota.QuotaConfig;
import dev.memquota.ReclaimRequest;
import dev.memquota.Reclaimed;
import dev.memquota.TrackerShutdownException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Timeouts, misbehaving callbacks, garbage collection, teardown and the default executor. */
@Timeout(30)
class EngineBehaviourTest {

  /** A participant whose answers are given by the test. */
  static final class Scripted implements IsParticipant {
    volatile Supplier<OptionalLong> age;
    volatile Supplier<CompletionStage<Reclaimed>> answer;
    volatile int asked;

    Scripted(long age, Supplier<CompletionStage<Reclaimed>> answer) {
      this.age = () -> OptionalLong.of(age);
      this.answer = answer;
    }

    @Override
    public OptionalLong oldestData() {
      return age.get();
    }

    @Override
    public CompletionStage<Reclaimed> reclaim(ReclaimRequest request) {
      asked++;
      return answer.get();
    }
  }

  private static Supplier<CompletionStage<Reclaimed>> collapsing() {
    return () -> CompletableFuture.completedFuture(Reclaimed.COLLAPSING);
  }

  @Test
  void hungParticipantTimesOutAndReclamationContinues() throws Exception {
    Harness h = new Harness(2 * MIB, MIB + MIB / 2, Duration.ofMillis(100));
    Account hungAccount = h.tracker.newAccount();
    Scripted hung = new Scripted(1, CompletableFuture::new); // never completes
    hungAccount.register(hung).claim(MIB + MIB / 2);
    Account other = h.tracker.newAccount();
    Scripted next = new Scripted(2, collapsing());
    other.register(next).claim(MIB);
    h.runUntilIdle(); // asks the hung one, then waits for the timer
    assertTrue(h.tracker.stats().reclaiming());
    assertFalse(hungAccount.isClosed());
    h.awaitAndRunUntilIdle(Duration.ofSeconds(10));
    assertTrue(hungAccount.isClosed(), "a participant that times out counts as collapsed");
    assertFalse(h.tracker.stats().reclaiming());
    assertTrue(h.tracker.usedBytes() <= MIB + MIB / 2);
    assertFalse(other.isClosed(), "low water was reached without it");
  }

  @Test
  void throwingCallbacksCountAsCollapsed() {
    Harness h = new Harness(2 * MIB, MIB / 4);
    Account throwsOnAge = h.tracker.newAccount();
    Scripted a = new Scripted(5, collapsing());
    a.age = () -> { throw new IllegalStateException("boom in oldestData"); };
    throwsOnAge.register(a).claim(MIB);
    Account throwsOnReclaim = h.tracker.newAccount();
    Scripted b = new Scripted(1, () -> { throw new IllegalStateException("boom in reclaim"); });
    throwsOnReclaim.register(b).claim(MIB);
    Account nullStage = h.tracker.newAccount();
    Scripted c = new Scripted(2, () -> null);
    nullStage.register(c).claim(MIB / 2);
    Account failedStage = h.tracker.newAccount();
    Scripted d = new Scripted(3, () -> CompletableFuture.failedFuture(new RuntimeException("nope")));
    failedStage.register(d).claim(MIB / 2);
    h.runUntilIdle();
    assertTrue(throwsOnReclaim.isClosed() && nullStage.isClosed() && failedStage.isClosed());
    assertEquals(0, a.asked, "a participant whose oldestData throws is torn down, not asked");
    assertEquals(4, h.tracker.stats().participantsCollapsed());
    assertEquals(0, h.tracker.usedBytes());
  }

  @Test
  void participantLyingAboutHavingNoDataIsTreatedAsOldest() {
    Harness h = new Harness(2 * MIB, MIB + MIB / 2);
    Account honest = h.tracker.newAccount();
    honest.register(new Scripted(1, collapsing())).claim(MIB);
    Account liar = h.tracker.newAccount();
    Scripted l = new Scripted(100, collapsing());
    l.age = OptionalLong::empty;
    liar.register(l).claim(MIB);
    Account idle = h.tracker.newAccount();
    Scripted small = new Scripted(0, collapsing());
    small.age = OptionalLong::empty;
    idle.register(small).claim(Ledger.CACHE_MAX); // within what a cache could explain
    h.runUntilIdle();
    assertTrue(liar.isClosed());
    assertFalse(honest.isClosed());
    assertFalse(idle.isClosed());
  }

  @Test
  void staleAgeIsReadAgainBeforeChoosingAVictim() {
    Harness h = new Harness(2 * MIB, MIB + MIB / 2);
    Account drained = h.tracker.newAccount();
    Scripted d = new Scripted(1, collapsing());
    drained.register(d).claim(MIB);
    Account older = h.tracker.newAccount();
    Scripted o = new Scripted(2, collapsing());
    older.register(o).claim(MIB + MIB / 4);
    // After the heap is built, "drained" sends its old data and now only holds young data.
    Supplier<OptionalLong> first = d.age;
    d.age = new Supplier<>() {
      int calls;
      @Override
      public OptionalLong get() {
        return calls++ == 0 ? first.get() : OptionalLong.of(50);
      }
    };
    h.runUntilIdle();
    assertTrue(older.isClosed());
    assertFalse(drained.isClosed(), "its age was re-read when it came to the top of the heap");
  }

  @Test
  void garbageCollectedParticipantIsReleased() throws Exception {
    Harness h = new Harness(64 * MIB, 48 * MIB);
    Account a = h.tracker.newAccount();
    a.register(new Scripted(1, collapsing())).claim(MIB); // participant only weakly held
    assertTrue(h.tracker.usedBytes() >= MIB);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (h.tracker.usedBytes() != 0 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(10);
      h.tracker.newAccount().close(); // any registry operation drains collected participants
    }
    assertEquals(0, h.tracker.usedBytes());
    assertEquals(0, h.tracker.stats().participants());
    assertFalse(a.isClosed(), "the account itself stays open");
  }

  @Test
  void forgottenAccountIsClosedByTheCleaner() throws Exception {
    Harness h = new Harness(64 * MIB, 48 * MIB);
    Scripted kept = new Scripted(1, collapsing());
    Participation p = registerInForgottenAccount(h, kept);
    p.claim(MIB);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (h.tracker.stats().accounts() != 0 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(10);
    }
    assertEquals(0, h.tracker.stats().accounts());
    assertEquals(0, h.tracker.usedBytes());
    assertThrows(dev.memquota.AccountClosedException.class, () -> p.claim(1));
  }

  private static Participation registerInForgottenAccount(Harness h, IsParticipant participant) {
    return h.tracker.newAccount().register(participant);
  }

  @Test
  void ownParticipantIsNotAskedBeforeTheFactoryReturns() throws Exception {
    Harness h = new Harness(2 * MIB, MIB + MIB / 2);
    Account a = h.tracker.newAccount();
    Scripted old = new Scripted(1, collapsing());
    Participation[] own = new Participation[1];
    Scripted made =
        a.register(
            participation -> {
              own[0] = participation;
              participation.claim(3 * MIB); // over max while still under construction
              h.runUntilIdle();
              return old;
            });
    assertSame(old, made);
    assertEquals(0, old.asked, "not asked while the factory ran");
    assertFalse(a.isClosed());
    assertEquals(1, h.tracker.stats().reclamationCycles(), "a cycle ran and found no candidate");
    own[0].claim(MIB); // the next claim over max starts a new cycle, which now sees it
    h.runUntilIdle();
    assertEquals(1, old.asked);
    assertTrue(a.isClosed());
  }

  @Test
  void factoryThatThrowsLeavesNothingBehind() {
    Harness h = new Harness(2 * MIB, MIB + MIB / 2);
    Account a = h.tracker.newAccount();
    Participation[] seen = new Participation[1];
    assertThrows(
        IllegalStateException.class,
        () ->
            a.register(
                p -> {
                  seen[0] = p;
                  p.claim(1000);
                  throw new IllegalStateException("constructor failed");
                }));
    assertEquals(0, h.tracker.usedBytes());
    assertEquals(0, h.tracker.stats().participants());
    assertThrows(dev.memquota.ParticipantClosedException.class, () -> seen[0].claim(1));
  }

  @Test
  void closedTrackerRejectsEverythingButReleaseAndStats() {
    Harness h = new Harness(2 * MIB, MIB + MIB / 2);
    Account a = h.tracker.newAccount();
    Participation p = a.register(new Scripted(1, collapsing()));
    p.claim(1234);
    h.tracker.close();
    h.tracker.close();
    assertEquals(0, h.tracker.usedBytes());
    assertTrue(a.isClosed());
    assertThrows(TrackerShutdownException.class, () -> p.claim(1));
    assertThrows(TrackerShutdownException.class, h.tracker::newAccount);
    assertThrows(TrackerShutdownException.class, a::newChild);
    assertThrows(TrackerShutdownException.class, () -> a.register(new Scripted(1, collapsing())));
    assertThrows(
        TrackerShutdownException.class,
        () -> h.tracker.reconfigure(QuotaConfig.builder().maxBytes(4 * MIB).build()));
    p.release(1234);
    p.close();
    a.close();
    assertEquals(0, h.tracker.stats().accounts());
  }

  @Test
  void foreignAccountsAreRejected() {
    Harness h = new Harness(2 * MIB, MIB + MIB / 2);
    Harness other = new Harness(2 * MIB, MIB + MIB / 2);
    Account mine = h.tracker.newAccount();
    Account theirs = other.tracker.newAccount();
    assertThrows(IllegalArgumentException.class, () -> mine.addParent(theirs));
    assertThrows(IllegalArgumentException.class, () -> h.tracker.newAccount(theirs));
    assertThrows(IllegalArgumentException.class, () -> mine.addParent(MemoryQuotaTracker.noop().newAccount()));
  }

  @Test
  void defaultExecutorReclaimsInTheBackground() throws Exception {
    try (MemoryQuotaTracker t =
        MemoryQuotaTracker.create(QuotaConfig.builder().maxBytes(2 * MIB).lowWaterBytes(MIB).build())) {
      CountDownLatch asked = new CountDownLatch(1);
      String[] thread = new String[1];
      Scripted s =
          new Scripted(
              1,
              () -> {
                thread[0] = Thread.currentThread().getName();
                asked.countDown();
                return CompletableFuture.completedFuture(Reclaimed.COLLAPSING);
              });
      Account a = t.newAccount();
      a.register(s).claim(3 * MIB);
      assertTrue(asked.await(10, TimeUnit.SECONDS));
      assertTrue(thread[0].contains("reclaimer"), thread[0]);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!a.isClosed() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertTrue(a.isClosed());
      assertEquals(0, t.usedBytes());
    }
  }
}
