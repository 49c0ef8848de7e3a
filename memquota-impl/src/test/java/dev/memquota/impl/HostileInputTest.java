package dev.memquota.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memquota.Account;
import dev.memquota.AccountClosedException;
import dev.memquota.IsParticipant;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.ParticipantClosedException;
import dev.memquota.Participation;
import dev.memquota.QuotaConfig;
import dev.memquota.TrackerShutdownException;
import dev.memquota.spi.TrackerSettings;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Hostile input: every bad argument gets a clear exception that names the bad value, and leaves
 * every count (the total, each participation's used and held bytes, the open accounts and
 * participations) exactly as it was.
 */
class HostileInputTest {
  private static final long MIB = 1 << 20;

  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>(); // never run: no reclamation here
  private final Tracker tracker = tracker(tasks);
  private final List<IsParticipant> keep = new ArrayList<>();
  private final Account account = tracker.newAccount();
  private final ParticipationRecord p = register(account);

  private static Tracker tracker(ArrayDeque<Runnable> tasks) {
    return new Tracker(
        new TrackerSettings(
            QuotaConfig.builder().maxBytes(64 * MIB).build(),
            () -> 1_000_000L,
            tasks::add,
            Duration.ofSeconds(5)));
  }

  private ParticipationRecord register(Account a) {
    IsParticipant idle = StressSupport.idle();
    keep.add(idle);
    return (ParticipationRecord) a.register(idle);
  }

  @AfterEach
  void consistent() {
    tracker.checkConsistency();
  }

  /** The counts a rejected call must leave alone. */
  private record Counts(long total, long used, long held, long accounts, long participants) {}

  private Counts counts() {
    return new Counts(
        tracker.usedBytes(),
        Ledger.used(p),
        Ledger.held(p),
        tracker.stats().accounts(),
        tracker.stats().participants());
  }

  /** Asserts that {@code call} throws {@code type} naming {@code value} and changes no count. */
  private <T extends Throwable> T rejects(Class<T> type, String value, Executable call) {
    p.claim(5000); // something in the counts, so that "unchanged" means something
    Counts before = counts();
    T e = assertThrows(type, call);
    assertTrue(
        e.getMessage() != null && e.getMessage().contains(value),
        "the message names " + value + ": " + e.getMessage());
    assertEquals(before, counts(), "counts unchanged by a rejected call");
    tracker.checkConsistency();
    return e;
  }

  // ---- claims and releases ---------------------------------------------------------------------

  @Test
  void negativeClaimIsRejected() {
    rejects(IllegalArgumentException.class, "-1", () -> p.claim(-1));
    rejects(IllegalArgumentException.class, Long.toString(Long.MIN_VALUE), () -> p.claim(Long.MIN_VALUE));
  }

  @Test
  void zeroClaimAndReleaseChangeNothing() {
    p.claim(100);
    Counts before = counts();
    p.claim(0);
    p.release(0);
    assertEquals(before, counts());
  }

  @Test
  void maxValueClaimIsRejected() {
    rejects(
        IllegalArgumentException.class,
        Long.toString(Long.MAX_VALUE),
        () -> p.claim(Long.MAX_VALUE));
  }

  @Test
  void claimBeyondTheParticipationLimitIsRejected() {
    p.claim(Ledger.USED_MAX - 10_000);
    rejects(IllegalArgumentException.class, "20000", () -> p.claim(20_000));
  }

  @Test
  void claimThatWouldOverflowTheTrackerTotalIsRejected() {
    // About 2^16 participations near their limit of 2^47 - 1 bytes bring the total close to 2^63.
    ParticipationRecord last = null;
    while (Long.MAX_VALUE - tracker.usedBytes() > Ledger.USED_MAX / 2) {
      long headroom = Long.MAX_VALUE - tracker.usedBytes();
      last = register(account);
      last.claim(Math.min(Ledger.USED_MAX, headroom - Ledger.USED_MAX / 4));
    }
    ParticipationRecord victim = register(account);
    long before = tracker.usedBytes();
    long wanted = Long.MAX_VALUE - before + 1 - Ledger.REFILL;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> victim.claim(wanted));
    assertTrue(e.getMessage().contains("overflow"), e.getMessage());
    assertTrue(e.getMessage().contains(Long.toString(wanted)), e.getMessage());
    assertEquals(before, tracker.usedBytes(), "the total is as it was");
    assertEquals(0, Ledger.held(victim));
    tracker.checkConsistency();
    account.close();
    assertEquals(0, tracker.usedBytes());
    assertFalse(last == null);
  }

  @Test
  void negativeReleaseIsRejected() {
    rejects(IllegalArgumentException.class, "-7", () -> p.release(-7));
  }

  @Test
  void releaseOfMoreThanClaimedIsRejected() {
    IllegalArgumentException e =
        rejects(IllegalArgumentException.class, "5001", () -> p.release(5001));
    assertTrue(e.getMessage().contains("5000"), "names what it holds: " + e.getMessage());
    rejects(IllegalArgumentException.class, Long.toString(Long.MAX_VALUE), () -> p.release(Long.MAX_VALUE));
  }

  // ---- closing twice, and use after close --------------------------------------------------------

  @Test
  void doubleCloseOfEverythingIsHarmless() {
    p.claim(3000);
    p.close();
    long afterFirst = tracker.usedBytes();
    p.close();
    account.close();
    account.close();
    assertEquals(afterFirst, tracker.usedBytes());
    assertEquals(0, tracker.usedBytes());
    tracker.close();
    tracker.close();
    assertEquals(0, tracker.usedBytes());
  }

  @Test
  void useAfterParticipationClose() {
    p.claim(3000);
    p.close();
    ParticipantClosedException e = assertThrows(ParticipantClosedException.class, () -> p.claim(1));
    assertFalse(e.reclaimed());
    p.release(3000); // never throws for a closed handle, and changes nothing
    p.release(Long.MAX_VALUE);
    assertEquals(0, tracker.usedBytes());
    assertEquals(0, tracker.stats().participants());
  }

  @Test
  void useAfterAccountClose() {
    p.claim(3000);
    Account other = tracker.newAccount();
    account.close();
    AccountClosedException e = assertThrows(AccountClosedException.class, () -> p.claim(1));
    assertFalse(e.reclaimed());
    assertTrue(e.getMessage().contains("account #" + ((AccountHandle) account).record.id), e.getMessage());
    assertThrows(AccountClosedException.class, () -> account.register(keep.get(0)));
    assertThrows(AccountClosedException.class, account::newChild);
    assertThrows(AccountClosedException.class, () -> account.addParent(other));
    assertThrows(AccountClosedException.class, () -> other.addParent(account));
    assertThrows(AccountClosedException.class, () -> tracker.newAccount(account));
    p.release(3000);
    assertEquals(0, tracker.usedBytes());
    assertEquals(1, tracker.stats().accounts());
  }

  @Test
  void useAfterTrackerClose() {
    p.claim(3000);
    tracker.close();
    assertThrows(TrackerShutdownException.class, () -> p.claim(1));
    assertThrows(TrackerShutdownException.class, tracker::newAccount);
    assertThrows(TrackerShutdownException.class, () -> account.register(keep.get(0)));
    assertThrows(TrackerShutdownException.class, account::newChild);
    assertThrows(
        TrackerShutdownException.class,
        () -> tracker.reconfigure(QuotaConfig.builder().maxBytes(8 * MIB).build()));
    p.release(3000);
    assertEquals(0, tracker.usedBytes());
    assertEquals(0, tracker.stats().accounts());
    assertEquals(0, tracker.stats().participants());
  }

  // ---- links ------------------------------------------------------------------------------------

  @Test
  void parentCyclesAreRejected() {
    Account b = account.newChild();
    Account c = b.newChild();
    String aId = "account #" + ((AccountHandle) account).record.id;
    String cId = "account #" + ((AccountHandle) c).record.id;
    IllegalArgumentException e =
        rejects(IllegalArgumentException.class, cId, () -> account.addParent(c));
    assertTrue(e.getMessage().contains("cycle"), e.getMessage());
    rejects(IllegalArgumentException.class, aId, () -> account.addParent(account));
    rejects(IllegalArgumentException.class, aId, () -> b.addParent(account)); // already a parent
    rejects(IllegalArgumentException.class, "another tracker", () -> b.addParent(foreignAccount()));
    rejects(
        IllegalArgumentException.class, "another tracker", () -> tracker.newAccount(foreignAccount()));
    rejects(NullPointerException.class, "parent", () -> b.addParent(null));
  }

  private Account foreignAccount() {
    Tracker other = tracker(new ArrayDeque<>());
    return other.newAccount();
  }

  // ---- registration ------------------------------------------------------------------------------

  @Test
  void nullParticipantAndFactoriesAreRejected() {
    rejects(NullPointerException.class, "participant", () -> account.register((IsParticipant) null));
    long participants = tracker.stats().participants();
    rejects(
        NullPointerException.class,
        "returned null",
        () -> account.register(pp -> null));
    assertEquals(participants, tracker.stats().participants(), "the half-made participation is closed");
    rejects(
        IllegalStateException.class,
        "factory failed",
        () ->
            account.register(
                pp -> {
                  pp.claim(4000); // claimed, then the factory fails: released with its participation
                  throw new IllegalStateException("factory failed");
                }));
    assertEquals(participants, tracker.stats().participants());
  }

  // ---- configuration -----------------------------------------------------------------------------

  @Test
  void invalidConfigurationsAreRejected() {
    rejects(IllegalArgumentException.class, "was 0", () -> QuotaConfig.builder().maxBytes(0));
    rejects(IllegalArgumentException.class, "was -5", () -> QuotaConfig.builder().maxBytes(-5));
    rejects(IllegalArgumentException.class, "was 1000", () -> QuotaConfig.builder().lowWaterBytes(1000));
    rejects(
        IllegalArgumentException.class,
        "1000000",
        () -> QuotaConfig.builder().maxBytes(1_000_000).lowWaterBytes(999_000).build());
    rejects(
        IllegalStateException.class,
        "200000",
        () -> QuotaConfig.builder().lowWaterBytes(200_000).build());
    rejects(
        IllegalStateException.class,
        "4096",
        () -> QuotaConfig.builder().maxBytes(4096).maxBytes(8192));
    rejects(
        IllegalArgumentException.class,
        "PT0S",
        () -> MemoryQuotaTracker.builder().reclaimTimeout(Duration.ZERO));
    rejects(
        IllegalArgumentException.class,
        "PT-1S",
        () -> MemoryQuotaTracker.builder().reclaimTimeout(Duration.ofSeconds(-1)));
    QuotaConfig before = tracker.config();
    rejects(
        IllegalArgumentException.class, "unlimited", () -> tracker.reconfigure(QuotaConfig.unlimited()));
    rejects(NullPointerException.class, "config", () -> tracker.reconfigure(null));
    assertEquals(before, tracker.config());
    assertTrue(tasks.isEmpty(), "a rejected reconfigure starts nothing");
  }
}
