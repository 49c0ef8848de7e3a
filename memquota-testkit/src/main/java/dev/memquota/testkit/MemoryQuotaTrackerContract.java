package dev.memquota.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.memquota.Account;
import dev.memquota.AccountClosedException;
import dev.memquota.IsParticipant;
import dev.memquota.MemoryQuotaException;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.ParticipantClosedException;
import dev.memquota.Participation;
import dev.memquota.QuotaConfig;
import dev.memquota.ReclaimRequest;
import dev.memquota.Reclaimed;
import dev.memquota.TrackerShutdownException;
import dev.memquota.TrackerStats;
import dev.memquota.spi.MemoryQuotaProvider;
import dev.memquota.spi.TrackerSettings;
import dev.memquota.testkit.FakeParticipant.Answer;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite for memquota engines: every promise of the API, checked against a provider.
 *
 * <p>A provider's test extends this class and says which provider to test:
 *
 * <pre>{@code
 * class DefaultProviderContractTest extends MemoryQuotaTrackerContract {
 *   @Override
 *   protected MemoryQuotaProvider provider() {
 *     return new DefaultMemoryQuotaProvider();
 *   }
 * }
 * }</pre>
 *
 * <p>Trackers are created through {@link MemoryQuotaProvider#create(TrackerSettings)} with a {@link
 * ManualClock} and a {@link ManualExecutor}, so reclamation runs only when a test runs the
 * executor, and every test is deterministic. Only the reclaim-timeout tests wait for real time
 * (the engine's timer), with bounded waits ({@link #patience()}).
 *
 * <p>Unless a test says otherwise, the quota is {@value #MAX_MIB} MiB with a low-water mark of
 * {@value #LOW_WATER_MIB} MiB. Participants are {@link FakeParticipant}s whose data ages are set
 * explicitly ({@link #age(int)}), and which by default collapse when asked to reclaim. Byte counts
 * are chosen so that the outcome does not depend on how much the engine keeps in its caches, as
 * long as each participation's cache stays within {@link #cacheLimitBytes()}.
 *
 * <p>Not thread-safe: JUnit creates one instance per test method.
 */
public abstract class MemoryQuotaTrackerContract {

  /** One kibibyte. */
  protected static final long KIB = 1024;

  /** One mebibyte. */
  protected static final long MIB = 1024 * KIB;

  /** The default quota's maximum, in MiB. */
  protected static final int MAX_MIB = 20;

  /** The default quota's low-water mark, in MiB. */
  protected static final int LOW_WATER_MIB = 15;

  /** A reclaim timeout that no test in which participants answer at once can run into. */
  private static final Duration LONG_TIMEOUT = Duration.ofMinutes(5);

  /** The clock of every tracker this suite creates; it reads {@link ManualClock#START} + 1 h. */
  protected final ManualClock clock = new ManualClock();

  /** The executor of every tracker this suite creates. */
  protected final ManualExecutor executor = new ManualExecutor();

  /** The tracker most tests use: {@value #MAX_MIB} MiB, low water {@value #LOW_WATER_MIB} MiB. */
  protected MemoryQuotaTracker tracker;

  private final List<MemoryQuotaTracker> trackers = new ArrayList<>();
  private final List<Object> keptAlive = new ArrayList<>();

  /** Creates the suite; JUnit does this once per test. */
  protected MemoryQuotaTrackerContract() {}

  /**
   * Returns the provider under test. Called once per tracker the suite creates.
   *
   * @return the provider; a new instance or a shared one
   */
  protected abstract MemoryQuotaProvider provider();

  /**
   * Returns the most that a participation may hold in its cache, beyond the bytes claimed through
   * it: the tolerance of every accounting check.
   *
   * @return bytes; 16 KiB unless overridden
   */
  protected long cacheLimitBytes() {
    return 16 * KIB;
  }

  /**
   * Returns the reclaim timeout of the trackers in the timeout tests. Keep it short: those tests
   * wait for it in real time.
   *
   * @return a short positive duration; 200 ms unless overridden
   */
  protected Duration shortReclaimTimeout() {
    return Duration.ofMillis(200);
  }

  /**
   * Returns how long any bounded wait of the suite lasts before the test fails (for a timer, a
   * garbage collection, a callback on another thread).
   *
   * @return a positive duration; 10 s unless overridden
   */
  protected Duration patience() {
    return Duration.ofSeconds(10);
  }

  /** Creates the default tracker and moves the clock one hour past its start. */
  @BeforeEach
  protected void createTracker() {
    clock.advance(Duration.ofHours(1));
    tracker = newTracker(MAX_MIB * MIB, LOW_WATER_MIB * MIB);
  }

  /** Closes every tracker the test created. */
  @AfterEach
  protected void closeTrackers() {
    trackers.forEach(MemoryQuotaTracker::close);
    keptAlive.clear();
  }

  // =========================================================================================
  // Helpers
  // =========================================================================================

  /**
   * Creates a tracker with the given quota, this suite's clock and executor, and a reclaim timeout
   * so long that no test runs into it; it is closed after the test.
   *
   * @param maxBytes the maximum
   * @param lowWaterBytes the low-water mark
   * @return the new tracker
   */
  protected final MemoryQuotaTracker newTracker(long maxBytes, long lowWaterBytes) {
    return newTracker(quota(maxBytes, lowWaterBytes), LONG_TIMEOUT);
  }

  /**
   * Creates a tracker through {@link #provider()}; it is closed after the test.
   *
   * @param config the quota
   * @param reclaimTimeout the reclaim timeout
   * @return the new tracker
   */
  protected final MemoryQuotaTracker newTracker(QuotaConfig config, Duration reclaimTimeout) {
    MemoryQuotaTracker created =
        provider().create(new TrackerSettings(config, clock, executor, reclaimTimeout));
    trackers.add(created);
    return created;
  }

  /**
   * Builds a quota.
   *
   * @param maxBytes the maximum
   * @param lowWaterBytes the low-water mark
   * @return the quota
   */
  protected static QuotaConfig quota(long maxBytes, long lowWaterBytes) {
    return QuotaConfig.builder().maxBytes(maxBytes).lowWaterBytes(lowWaterBytes).build();
  }

  /**
   * Returns a data age: {@code seconds} after {@link ManualClock#START}, so in the past of the
   * clock (which reads START + 1 h). A smaller number is older data.
   *
   * @param seconds seconds after START; below 3600
   * @return the timestamp
   */
  protected static long age(int seconds) {
    return ManualClock.START + Duration.ofSeconds(seconds).toNanos();
  }

  /**
   * Opens a top-level account of the default tracker, kept reachable until the test ends.
   *
   * @return the account
   */
  protected final Account account() {
    return keep(tracker.newAccount());
  }

  /**
   * Keeps {@code thing} strongly reachable until the test ends (accounts and participants are held
   * weakly by engines).
   *
   * @param thing what to keep
   * @param <T> its type
   * @return {@code thing}
   */
  protected final <T> T keep(T thing) {
    keptAlive.add(thing);
    return thing;
  }

  /**
   * Registers a named fake in {@code account} holding {@code bytes} of data of the given age; kept
   * reachable until the test ends.
   *
   * @param account where to register
   * @param name its name, for messages
   * @param ageSeconds the age of its data, see {@link #age(int)}
   * @param bytes how much it holds
   * @return the fake
   */
  protected final FakeParticipant fake(Account account, String name, int ageSeconds, long bytes) {
    return keep(FakeParticipant.register(account, clock).named(name).holdingAt(age(ageSeconds), bytes));
  }

  /**
   * Opens a new account of the default tracker with one fake in it, as {@link #fake}.
   *
   * @param name the fake's name
   * @param ageSeconds the age of its data
   * @param bytes how much it holds
   * @return the fake
   */
  protected final FakeParticipant holder(String name, int ageSeconds, long bytes) {
    return fake(account(), name, ageSeconds, bytes);
  }

  /**
   * Runs the executor until idle and checks that no cycle is left waiting.
   *
   * @param t the tracker
   */
  protected final void reclaim(MemoryQuotaTracker t) {
    Reclamation.runToCompletion(t, executor);
  }

  /**
   * Asserts {@code condition}, with the default tracker's stats in the message.
   *
   * @param condition what must hold
   * @param message what it means
   */
  protected final void check(boolean condition, String message) {
    if (!condition) {
      fail(message + "; " + tracker.stats());
    }
  }

  /**
   * Asserts that claims through {@code fake} are refused because the tracker reclaimed it, with
   * either {@link AccountClosedException} or {@link ParticipantClosedException} whose {@code
   * reclaimed()} is {@code true}.
   *
   * @param fake the fake
   */
  protected final void assertReclaimedAway(FakeParticipant fake) {
    MemoryQuotaException e =
        assertThrows(
            MemoryQuotaException.class,
            () -> fake.participation().claim(1),
            () -> fake.name() + " should refuse claims once reclaimed; " + tracker.stats());
    boolean reclaimed =
        e instanceof AccountClosedException
            ? ((AccountClosedException) e).reclaimed()
            : e instanceof ParticipantClosedException && ((ParticipantClosedException) e).reclaimed();
    check(
        reclaimed,
        fake.name()
            + " was refused with "
            + e
            + ", which should say reclaimed()==true (AccountClosedException when its whole account"
            + " was reclaimed, even if the participant closed its participation while collapsing)");
  }

  /**
   * Tells whether {@code fake}'s participation still accepts claims (it claims and releases one
   * byte).
   *
   * @param fake the fake
   * @return {@code true} if it is still live
   */
  protected static boolean isLive(FakeParticipant fake) {
    try {
      fake.participation().claim(1);
    } catch (MemoryQuotaException e) {
      return false;
    }
    fake.participation().release(1);
    return true;
  }

  /**
   * Asserts the accounting invariant at quiescence: the total is at least what the live fakes hold
   * and at most that plus one cache per live fake.
   *
   * @param t the tracker
   * @param fakes every fake registered with {@code t}
   */
  protected final void assertTotalMatches(MemoryQuotaTracker t, List<FakeParticipant> fakes) {
    long held = 0;
    int live = 0;
    for (FakeParticipant f : fakes) {
      if (isLive(f)) {
        held += f.heldBytes();
        live++;
      }
    }
    Reclamation.assertUsedBytesBetween(t, held, held + live * cacheLimitBytes());
  }

  // =========================================================================================
  // Accounting
  // =========================================================================================

  /** Registering, by either method, claims nothing. */
  @Test
  public void registrationPreClaimsNothing() {
    Account a = account();
    FakeParticipant.register(a, clock);
    Participation direct = a.register(new SilentParticipant());
    assertEquals(0, tracker.usedBytes(), () -> "after two registrations: " + tracker.stats());
    TrackerStats s = tracker.stats();
    assertEquals(1, s.accounts(), "open accounts");
    assertEquals(2, s.participants(), "registered participations");
    direct.close();
  }

  /** Claims over several participations are counted, within one cache per participation. */
  @Test
  public void claimsAreCountedWithinOneCachePerParticipation() {
    long[] sizes = {1, 100, 5000, 70_000, 3 * MIB};
    List<FakeParticipant> fakes = new ArrayList<>();
    long sum = 0;
    for (long size : sizes) {
      fakes.add(fake(account(), "f" + size, 1, size));
      sum += size;
    }
    Reclamation.assertUsedBytesBetween(tracker, sum, sum + sizes.length * cacheLimitBytes());
    fakes.forEach(FakeParticipant::close);
    assertEquals(0, tracker.usedBytes(), () -> "after closing every participation: " + tracker.stats());
  }

  /** Closing every account brings the total back to exactly zero. */
  @Test
  public void closingAllAccountsBringsTheTotalToZero() {
    List<Account> accounts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Account a = account();
      accounts.add(a);
      fake(a, "a" + i, i, 1000 + i);
      fake(a, "b" + i, i, 70_000 + i);
    }
    accounts.forEach(Account::close);
    assertEquals(0, tracker.usedBytes(), () -> "after closing every account: " + tracker.stats());
    assertEquals(0, tracker.stats().participants(), "participants left");
    assertEquals(0, tracker.stats().accounts(), "accounts left");
  }

  /**
   * Reference scenario: many small claims and releases (that refill and return caches) keep the
   * total within bounds at every step, and closing brings it to zero. The seed is in the message.
   */
  @Test
  public void cacheRefillAndReturnSequencesKeepTotalsExact() {
    long seed = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    int k = 4;
    List<FakeParticipant> fakes = new ArrayList<>();
    long[] held = new long[k];
    for (int i = 0; i < k; i++) {
      fakes.add(FakeParticipant.register(account(), clock));
    }
    keep(fakes);
    for (int step = 0; step < 3000; step++) {
      int i = random.nextInt(k);
      Participation p = fakes.get(i).participation();
      long bytes = 1 + random.nextInt(40_000);
      if (random.nextBoolean() && held[i] + bytes <= MIB) {
        p.claim(bytes);
        held[i] += bytes;
      } else {
        bytes = Math.min(bytes, held[i]);
        p.release(bytes);
        held[i] -= bytes;
      }
      long sum = 0;
      for (long h : held) {
        sum += h;
      }
      long used = tracker.usedBytes();
      if (used < sum || used > sum + k * cacheLimitBytes()) {
        fail(
            "seed " + seed + ", step " + step + ": usedBytes " + used + " outside [" + sum + ", "
                + (sum + k * cacheLimitBytes()) + "]; " + tracker.stats());
      }
    }
    for (int i = 0; i < k; i++) {
      fakes.get(i).participation().release(held[i]);
    }
    Reclamation.assertUsedBytesBetween(tracker, 0, k * cacheLimitBytes());
    fakes.forEach(FakeParticipant::close);
    assertEquals(0, tracker.usedBytes(), () -> "seed " + seed + ": after close: " + tracker.stats());
  }

  /** Reference scenario: closing (destroying) a participation releases everything it claimed. */
  @Test
  public void explicitDestroyReleasesEverything() {
    FakeParticipant destroyed = FakeParticipant.register(account(), clock);
    for (int i = 0; i < 100; i++) {
      destroyed.holding(300 + i);
    }
    FakeParticipant other = holder("other", 1, MIB);
    destroyed.close();
    Reclamation.assertUsedBytesBetween(tracker, MIB, MIB + cacheLimitBytes());
    assertEquals(1, tracker.stats().participants(), "participants left");
    other.close();
    assertEquals(0, tracker.usedBytes(), () -> "after both are closed: " + tracker.stats());
  }

  /** Zero-byte claims and releases change nothing. */
  @Test
  public void zeroClaimAndReleaseChangeNothing() {
    Participation p = FakeParticipant.register(account(), clock).participation();
    p.claim(0);
    p.release(0);
    assertEquals(0, tracker.usedBytes(), () -> "usedBytes: " + tracker.stats());
  }

  /** A closed participation refuses claims as closed, not reclaimed, and ignores releases. */
  @Test
  public void claimAfterParticipationCloseThrows() {
    FakeParticipant f = holder("f", 1, 5000);
    f.participation().close();
    f.participation().close();
    ParticipantClosedException e =
        assertThrows(ParticipantClosedException.class, () -> f.participation().claim(1));
    assertFalse(e.reclaimed(), "closed by its owner, so reclaimed() must be false");
    f.participation().release(5000);
    assertEquals(0, tracker.usedBytes(), () -> "usedBytes: " + tracker.stats());
  }

  /** A closed account refuses claims, registrations and children, and ignores releases. */
  @Test
  public void claimAfterAccountCloseThrows() {
    Account a = account();
    FakeParticipant f = fake(a, "f", 1, 5000);
    a.close();
    a.close();
    assertTrue(a.isClosed(), "isClosed after close");
    AccountClosedException e =
        assertThrows(AccountClosedException.class, () -> f.participation().claim(1));
    assertFalse(e.reclaimed(), "closed by its owner, so reclaimed() must be false");
    f.participation().release(5000);
    assertThrows(AccountClosedException.class, a::newChild);
    assertThrows(AccountClosedException.class, () -> a.register(new SilentParticipant()));
    assertThrows(AccountClosedException.class, () -> FakeParticipant.register(a, clock));
    assertThrows(AccountClosedException.class, () -> a.addParent(account()));
    assertThrows(AccountClosedException.class, () -> account().addParent(a));
    assertThrows(AccountClosedException.class, () -> tracker.newAccount(a));
    assertEquals(0, tracker.usedBytes(), () -> "usedBytes: " + tracker.stats());
  }

  /** Closing an account releases its memory but leaves its children open and counted. */
  @Test
  public void accountCloseReleasesItsMemoryButNotItsChildren() {
    Account parent = account();
    Account child = keep(parent.newChild());
    fake(parent, "parent", 1, 2 * MIB);
    FakeParticipant inChild = fake(child, "child", 2, MIB);
    parent.close();
    assertFalse(child.isClosed(), "the child of a closed account stays open");
    Reclamation.assertUsedBytesBetween(tracker, MIB, MIB + cacheLimitBytes());
    inChild.holding(10);
    child.close();
    assertEquals(0, tracker.usedBytes(), () -> "usedBytes: " + tracker.stats());
  }

  /** Stats report the quota and count open accounts and participations. */
  @Test
  public void statsCountAccountsAndParticipants() {
    TrackerStats fresh = tracker.stats();
    assertEquals(MAX_MIB * MIB, fresh.maxBytes(), "maxBytes");
    assertEquals(LOW_WATER_MIB * MIB, fresh.lowWaterBytes(), "lowWaterBytes");
    assertEquals(0, fresh.accounts(), "accounts");
    assertEquals(0, fresh.reclamationCycles(), "reclamationCycles");
    assertFalse(fresh.reclaiming(), "reclaiming");
    Account a = account();
    Account b = account();
    fake(a, "a1", 1, 1);
    fake(a, "a2", 1, 1);
    fake(b, "b1", 1, 1);
    assertEquals(2, tracker.stats().accounts(), "accounts");
    assertEquals(3, tracker.stats().participants(), "participants");
    a.close();
    assertEquals(1, tracker.stats().accounts(), "accounts after closing one");
    assertEquals(1, tracker.stats().participants(), "participants after closing an account of two");
  }

  /** The tracker reports ages on the clock it was given. */
  @Test
  public void trackerUsesTheGivenClock() {
    clock.advance(Duration.ofSeconds(7));
    assertEquals(clock.nanoTime(), tracker.clock().nanoTime(), "tracker.clock() reading");
    assertEquals(quota(MAX_MIB * MIB, LOW_WATER_MIB * MIB), tracker.config(), "config()");
  }

  // =========================================================================================
  // Bad input
  // =========================================================================================

  /** A negative claim is rejected and changes nothing. */
  @Test
  public void negativeClaimIsRejected() {
    rejectedAndUnchanged(p -> p.claim(-1));
  }

  /** A negative release is rejected and changes nothing. */
  @Test
  public void negativeReleaseIsRejected() {
    rejectedAndUnchanged(p -> p.release(-1));
  }

  private void rejectedAndUnchanged(Consumer<Participation> badCall) {
    FakeParticipant f = holder("f", 1, 1000);
    long before = tracker.usedBytes();
    assertThrows(IllegalArgumentException.class, () -> badCall.accept(f.participation()));
    assertEquals(before, tracker.usedBytes(), "usedBytes after a rejected call");
    assertThrows(
        IllegalArgumentException.class,
        () -> f.participation().release(1001),
        "the participation still holds exactly 1000 bytes");
    f.participation().release(1000);
  }

  /** Releasing more than this participation holds is rejected, even if others hold more. */
  @Test
  public void releasingMoreThanHeldIsRejected() {
    FakeParticipant small = holder("small", 1, 10);
    holder("big", 1, MIB);
    long before = tracker.usedBytes();
    assertThrows(IllegalArgumentException.class, () -> small.participation().release(11));
    assertEquals(before, tracker.usedBytes(), "usedBytes after a rejected release");
    small.participation().release(10);
    assertThrows(IllegalArgumentException.class, () -> small.participation().release(1));
  }

  /**
   * A claim that would overflow what a participation can hold is rejected and changes nothing.
   * (Engines may cap one participation well below {@code Long.MAX_VALUE}; the tracker's own total
   * cannot then be made to overflow in a test, so only the participation's is checked.)
   */
  @Test
  public void claimThatWouldOverflowIsRejected() {
    FakeParticipant f = holder("f", 1, 1000);
    long before = tracker.usedBytes();
    assertThrows(IllegalArgumentException.class, () -> f.participation().claim(Long.MAX_VALUE));
    assertThrows(
        IllegalArgumentException.class, () -> f.participation().claim(Long.MAX_VALUE - 500));
    assertEquals(before, tracker.usedBytes(), "usedBytes after rejected overflowing claims");
    f.participation().release(1000);
    assertThrows(
        IllegalArgumentException.class,
        () -> f.participation().release(1),
        "the participation holds nothing after releasing its 1000 bytes");
    f.close();
    assertEquals(0, tracker.usedBytes(), () -> "after close: " + tracker.stats());
  }

  /** Null arguments are rejected with NullPointerException. */
  @Test
  public void nullArgumentsAreRejected() {
    Account a = account();
    assertThrows(NullPointerException.class, () -> a.register((IsParticipant) null));
    assertThrows(
        NullPointerException.class,
        () -> a.register((Function<Participation, IsParticipant>) null));
    assertThrows(NullPointerException.class, () -> a.addParent(null));
    assertThrows(NullPointerException.class, () -> tracker.newAccount(null));
    assertThrows(NullPointerException.class, () -> tracker.reconfigure(null));
  }

  // =========================================================================================
  // Hierarchy
  // =========================================================================================

  /** An account cannot be its own parent. */
  @Test
  public void addParentRejectsItself() {
    Account a = account();
    assertThrows(IllegalArgumentException.class, () -> a.addParent(a));
  }

  /** A link that would make a cycle is rejected, and changes nothing. */
  @Test
  public void addParentRejectsCycles() {
    Account a = account();
    Account b = keep(a.newChild());
    Account c = keep(b.newChild());
    assertThrows(IllegalArgumentException.class, () -> a.addParent(c));
    assertThrows(IllegalArgumentException.class, () -> a.addParent(b));
    // Had a link c -> a been made, reclaiming c would take a and b with it.
    FakeParticipant inA = fake(a, "a", 30, 7 * MIB);
    FakeParticipant inB = fake(b, "b", 31, 7 * MIB);
    FakeParticipant inC = fake(c, "c", 1, 7 * MIB);
    reclaim(tracker);
    Reclamation.assertReclaimedExactly(tracker, List.of(inA, inB, inC), List.of(inC));
  }

  /** An existing parent cannot be added again. */
  @Test
  public void addParentRejectsDuplicates() {
    Account a = account();
    Account b = account();
    Account child = keep(a.newChild());
    assertThrows(IllegalArgumentException.class, () -> child.addParent(a));
    child.addParent(b);
    assertThrows(IllegalArgumentException.class, () -> child.addParent(b));
  }

  /** Accounts of another tracker are rejected as parents. */
  @Test
  public void accountsOfAnotherTrackerAreRejected() {
    MemoryQuotaTracker other = newTracker(MAX_MIB * MIB, LOW_WATER_MIB * MIB);
    Account foreign = keep(other.newAccount());
    Account a = account();
    assertThrows(IllegalArgumentException.class, () -> a.addParent(foreign));
    assertThrows(IllegalArgumentException.class, () -> tracker.newAccount(foreign));
    assertThrows(IllegalArgumentException.class, () -> foreign.addParent(a));
  }

  /** Reclaiming an account reclaims all its descendants, and closes them. */
  @Test
  public void reclaimingAnAccountReclaimsItsDescendants() {
    Account root = account();
    Account child = keep(root.newChild());
    Account grandchild = keep(tracker.newAccount(child));
    FakeParticipant r = fake(root, "root", 0, 3 * MIB);
    FakeParticipant c = fake(child, "child", 5, 2 * MIB);
    FakeParticipant g = fake(grandchild, "grandchild", 6, 2 * MIB);
    FakeParticipant x = holder("unrelated", 3, 14 * MIB);
    reclaim(tracker);
    Reclamation.assertReclaimedExactly(tracker, List.of(r, c, g, x), List.of(r, c, g));
    check(root.isClosed() && child.isClosed() && grandchild.isClosed(), "all three accounts closed");
    assertReclaimedAway(g);
    AccountClosedException e = assertThrows(AccountClosedException.class, grandchild::newChild);
    assertTrue(e.reclaimed(), "a reclaimed account says reclaimed()==true");
  }

  /** Reference scenario: a parent older than its child takes the child with it. */
  @Test
  public void parentOlderThanItsChildTakesTheChildWithIt() {
    Account parent = account();
    Account child = keep(parent.newChild());
    FakeParticipant p = fake(parent, "parent", 0, 3 * MIB + MIB / 2);
    FakeParticipant c = fake(child, "child", 10, 3 * MIB + MIB / 2);
    FakeParticipant other = holder("other", 5, 14 * MIB);
    reclaim(tracker);
    Reclamation.assertReclaimedExactly(tracker, List.of(p, c, other), List.of(p, c));
    check(child.isClosed(), "the child is closed with its parent");
  }

  /** Reference scenario: a child older than its parent goes alone; ancestors are never taken. */
  @Test
  public void childOlderThanItsParentGoesAlone() {
    Account parent = account();
    Account child = keep(parent.newChild());
    FakeParticipant p = fake(parent, "parent", 10, 3 * MIB);
    FakeParticipant c = fake(child, "child", 0, 7 * MIB);
    FakeParticipant other = holder("other", 5, 11 * MIB);
    reclaim(tracker);
    Reclamation.assertReclaimedExactly(tracker, List.of(p, c, other), List.of(c));
    check(!parent.isClosed(), "the parent of a reclaimed child stays open");
    p.holding(1);
  }

  /** Reference scenario: a child with two parents is reclaimed with its first parent. */
  @Test
  public void childWithTwoParentsIsReclaimedWithItsFirstParent() {
    twoParents(true);
  }

  /** Reference scenario: a child with two parents is reclaimed with the parent added later. */
  @Test
  public void childWithTwoParentsIsReclaimedWithItsAddedParent() {
    twoParents(false);
  }

  private void twoParents(boolean firstParentIsOlder) {
    Account first = account();
    Account added = account();
    Account child = keep(first.newChild());
    child.addParent(added);
    FakeParticipant f = fake(first, "first", firstParentIsOlder ? 0 : 8, 4 * MIB);
    FakeParticipant a = fake(added, "added", firstParentIsOlder ? 8 : 0, 4 * MIB);
    FakeParticipant c = fake(child, "child", 9, 4 * MIB);
    FakeParticipant other = holder("other", 5, 9 * MIB);
    reclaim(tracker);
    FakeParticipant victim = firstParentIsOlder ? f : a;
    Reclamation.assertReclaimedExactly(tracker, List.of(f, a, c, other), List.of(victim, c));
    check(child.isClosed(), "the child is closed with either parent");
  }

  /** A descendant without participants is closed with its reclaimed ancestor. */
  @Test
  public void descendantWithoutParticipantsIsClosedWithItsAncestor() {
    Account parent = account();
    Account child = keep(parent.newChild());
    fake(parent, "parent", 1, 21 * MIB);
    reclaim(tracker);
    check(parent.isClosed(), "the reclaimed parent is closed");
    check(child.isClosed(), "its empty child is closed too");
    AccountClosedException e = assertThrows(AccountClosedException.class, child::newChild);
    assertTrue(e.reclaimed(), "the child says reclaimed()==true");
  }

  // =========================================================================================
  // Reclamation: order, hysteresis, requests
  // =========================================================================================

  /** A claim over the quota is never refused; reclamation waits for the executor. */
  @Test
  public void claimsAreNeverRefusedAndReclamationRunsOnTheExecutor() {
    FakeParticipant big = holder("big", 1, 100 * MIB);
    Reclamation.assertUsedBytesBetween(tracker, 100 * MIB, 100 * MIB + cacheLimitBytes());
    Reclamation.assertNotReclaimed(tracker, big);
    check(executor.pending() > 0, "a claim over the maximum queues reclamation on the executor");
    reclaim(tracker);
    Reclamation.assertReclaimed(tracker, big);
  }

  /** Nothing is reclaimed at or below the maximum; a cycle starts once the total is above it. */
  @Test
  public void reclamationStartsOnlyAboveMax() {
    FakeParticipant old = holder("old", 1, MAX_MIB * MIB - cacheLimitBytes());
    reclaim(tracker);
    Reclamation.assertNotReclaimed(tracker, old);
    assertEquals(0, tracker.stats().reclamationCycles(), "cycles at or below max");
    FakeParticipant young = holder("young", 2, 2 * cacheLimitBytes() + 1);
    reclaim(tracker);
    Reclamation.assertReclaimedExactly(tracker, List.of(old, young), List.of(old));
    assertEquals(1, tracker.stats().reclamationCycles(), "cycles once above max");
  }

  /** Reclamation picks the account holding the oldest data, whatever the creation order. */
  @Test
  public void reclaimsOldestAccountFirst() {
    FakeParticipant young = holder("young", 9, 7 * MIB);
    FakeParticipant middle = holder("middle", 5, 7 * MIB);
    FakeParticipant old = holder("old", 1, 7 * MIB);
    reclaim(tracker);
    Reclamation.assertReclaimedExactly(tracker, List.of(young, middle, old), List.of(old));
    assertReclaimedAway(old);
    young.holding(1);
    middle.holding(1);
  }

  /** An account's age is that of the oldest data among all its participants. */
  @Test
  public void accountAgeIsItsOldestParticipant() {
    Account a = account();
    FakeParticipant a1 = fake(a, "a-newer", 7, 4 * MIB);
    FakeParticipant a2 = fake(a, "a-older", 2, 3 * MIB);
    FakeParticipant b = holder("b", 4, 7 * MIB);
    FakeParticipant c = holder("c", 6, 7 * MIB);
    reclaim(tracker);
    Reclamation.assertReclaimedExactly(tracker, List.of(a1, a2, b, c), List.of(a1, a2));
  }

  /**
   * Reference scenario: with max 20 MiB and low water 15 MiB, 21 accounts of a little over 1 MiB
   * (1 MiB + 1 KiB, so that six victims leave 15 MiB + 15 KiB, above low water, whatever the
   * caches) lose exactly their 7 oldest, in one cycle.
   */
  @Test
  public void reclaimsTheSevenOldestOfTwentyOneAccounts() {
    List<FakeParticipant> all = new ArrayList<>();
    for (int i = 0; i < 21; i++) {
      int ageSeconds = (i * 8) % 21; // 0, 8, 16, 3, ...: a permutation, not creation order
      all.add(holder("age" + ageSeconds, ageSeconds, MIB + KIB));
    }
    List<FakeParticipant> oldest =
        all.stream().filter(f -> f.chunks().firstKey() < age(7)).collect(Collectors.toList());
    reclaim(tracker);
    assertEquals(7, oldest.size(), "test setup");
    Reclamation.assertReclaimedExactly(tracker, all, oldest);
    TrackerStats s = tracker.stats();
    assertEquals(1, s.reclamationCycles(), () -> "reclamationCycles: " + s);
    assertEquals(7, s.accountsReclaimed(), () -> "accountsReclaimed: " + s);
    assertEquals(7, s.participantsCollapsed(), () -> "participantsCollapsed: " + s);
    check(s.bytesReclaimed() >= 7 * (MIB + KIB), "bytesReclaimed counts the victims' memory");
    check(s.usedBytes() <= s.lowWaterBytes(), "the cycle ends at or below low water");
    assertEquals(14, s.accounts(), () -> "open accounts: " + s);
  }

  /** Hysteresis: a cycle that started above the maximum goes on down to the low-water mark. */
  @Test
  public void reclamationContinuesBelowMaxDownToLowWater() {
    List<FakeParticipant> small = new ArrayList<>();
    for (int i = 1; i <= 7; i++) {
      small.add(holder("small" + i, i, MIB));
    }
    FakeParticipant big = holder("big", 20, 14 * MIB + KIB); // six victims leave 15 MiB + 1 KiB
    reclaim(tracker);
    List<FakeParticipant> all = new ArrayList<>(small);
    all.add(big);
    Reclamation.assertReclaimedExactly(tracker, all, small);
    check(tracker.usedBytes() <= LOW_WATER_MIB * MIB, "at or below low water after the cycle");
  }

  /** Claims that keep the total above the maximum before the executor runs start one cycle only. */
  @Test
  public void manyClaimsOverMaxStartOneCycle() {
    FakeParticipant old = holder("old", 1, 7 * MIB);
    FakeParticipant middle = holder("middle", 5, 7 * MIB);
    FakeParticipant young = FakeParticipant.register(account(), clock).named("young");
    keep(young);
    for (int i = 0; i < 70; i++) {
      young.holdingAt(age(9), 100 * KIB);
    }
    reclaim(tracker);
    Reclamation.assertReclaimedExactly(tracker, List.of(old, middle, young), List.of(old));
    assertEquals(1, tracker.stats().reclamationCycles(), () -> "cycles: " + tracker.stats());
  }

  /** Participants that report no data (and hold no more than a cache) are not candidates. */
  @Test
  public void emptyParticipantsAreNotCandidates() {
    Account empty = account();
    FakeParticipant nothing = keep(FakeParticipant.register(empty, clock).named("nothing"));
    FakeParticipant small = fake(empty, "quiet", 0, 8 * KIB).reportingNoData();
    FakeParticipant young = holder("young", 9, 7 * MIB);
    FakeParticipant middle = holder("middle", 5, 7 * MIB);
    FakeParticipant old = holder("old", 1, 7 * MIB);
    reclaim(tracker);
    Reclamation.assertReclaimedExactly(
        tracker, List.of(nothing, small, young, middle, old), List.of(old));
    check(!empty.isClosed(), "an account without data is left open");
  }

  /** A participant that reports no data while holding more than a cache is reclaimed first. */
  @Test
  public void participantHidingItsDataIsReclaimedFirst() {
    FakeParticipant liar = holder("liar", 30, 7 * MIB).reportingNoData();
    FakeParticipant old = holder("old", 1, 7 * MIB);
    FakeParticipant young = holder("young", 9, 7 * MIB);
    reclaim(tracker);
    Reclamation.assertReclaimedExactly(tracker, List.of(liar, old, young), List.of(liar));
  }

  /** The request names the next candidate's age as discardUpTo and the excess as bytesWanted. */
  @Test
  public void reclaimRequestNamesTheNextCandidateAndTheExcess() {
    FakeParticipant partial = chunked("partial", 1, 8).answering(Answer.RELEASE_OLDEST);
    holder("next", 4, 13 * MIB);
    long excess = tracker.usedBytes() - LOW_WATER_MIB * MIB;
    reclaim(tracker);
    check(!partial.requests().isEmpty(), "the oldest account was asked");
    assertEquals(
        new ReclaimRequest(age(4), excess),
        partial.requests().get(0),
        () -> "discardUpTo = the next candidate's age, bytesWanted = usedBytes - lowWater; "
            + tracker.stats());
  }

  /**
   * Partial reclamation: the account stays open and stays a candidate with its re-read age, so an
   * older account goes next.
   */
  @Test
  public void partialReclamationKeepsTheAccountOpen() {
    Account a = account();
    FakeParticipant partial = chunked(a, "partial", 1, 8).answering(Answer.RELEASE_OLDEST);
    FakeParticipant next = holder("next", 4, 13 * MIB);
    reclaim(tracker);
    assertEquals(List.of(age(5), age(6), age(7), age(8)), List.copyOf(partial.chunks().keySet()), "chunks left");
    check(!a.isClosed(), "an account that answered PARTIAL stays open");
    partial.holding(1);
    Reclamation.assertReclaimed(tracker, next);
    assertReclaimedAway(next);
    assertEquals(1, partial.requests().size(), "requests to the partial participant");
    assertEquals(1, tracker.stats().participantsCollapsed(), "only 'next' collapsed");
  }

  /** The only candidate is asked to discard up to now, and reclamation stops at low water. */
  @Test
  public void partialReclamationOfTheLastCandidateStopsAtLowWater() {
    FakeParticipant only = chunked("only", 1, 21).answering(Answer.RELEASE_OLDEST);
    long excess = tracker.usedBytes() - LOW_WATER_MIB * MIB;
    reclaim(tracker);
    assertEquals(
        List.of(new ReclaimRequest(clock.nanoTime(), excess)),
        only.requests(),
        "one request, discarding up to now");
    check(tracker.usedBytes() <= LOW_WATER_MIB * MIB, "at or below low water");
    check(only.chunks().size() >= 14, "no more than needed was released: " + only);
    only.holding(1);
  }

  /** The age of the account popped next is re-read, so data released meanwhile is taken into account. */
  @Test
  public void accountThatGotYoungerDuringTheCycleIsNotReclaimed() {
    Account a = account();
    FakeParticipant aOld = fake(a, "a", 1, MIB);
    aOld.holdingAt(age(5), 8 * MIB);
    FakeParticipant first =
        holder("first", 0, 2 * MIB).onReclaim((self, r) -> aOld.releaseOldest(age(1), 1));
    FakeParticipant b = holder("b", 2, 8 * MIB);
    FakeParticipant c = holder("c", 9, 2 * MIB);
    reclaim(tracker);
    Reclamation.assertReclaimedExactly(tracker, List.of(aOld, first, b, c), List.of(first, b));
  }

  /** stats().reclaiming() is true while a cycle waits for a participant, which the cycle awaits. */
  @Test
  public void cycleWaitsForAParticipantThatCompletesLater() {
    FakeParticipant slow = holder("slow", 1, 7 * MIB).completingOnDemand();
    FakeParticipant middle = holder("middle", 5, 7 * MIB);
    holder("young", 9, 7 * MIB);
    executor.runUntilIdle();
    check(tracker.stats().reclaiming(), "reclaiming while a participant has not answered");
    Reclamation.assertReclaimed(tracker, slow);
    Reclamation.assertNotReclaimed(tracker, middle);
    assertEquals(1, slow.completePending(), "pending stages");
    reclaim(tracker);
    check(!tracker.stats().reclaiming(), "not reclaiming once the participant answered");
    Reclamation.assertNotReclaimed(tracker, middle);
    assertReclaimedAway(slow);
  }

  // =========================================================================================
  // Faulty participants
  // =========================================================================================

  /** A participant whose reclaim() throws is treated as collapsed. */
  @Test
  public void throwingReclaimIsTreatedAsCollapse() {
    treatedAsCollapse(Answer.THROW);
  }

  /** A participant whose stage completes exceptionally is treated as collapsed. */
  @Test
  public void failedReclaimStageIsTreatedAsCollapse() {
    treatedAsCollapse(Answer.FAIL);
  }

  /** A participant that answers PARTIAL without releasing is treated as collapsed, and no loop. */
  @Test
  public void partialWithoutReleaseIsTreatedAsCollapse() {
    treatedAsCollapse(Answer.PARTIAL_WITHOUT_RELEASE);
  }

  private void treatedAsCollapse(Answer answer) {
    FakeParticipant faulty = holder("faulty", 1, 7 * MIB).answering(answer);
    FakeParticipant middle = holder("middle", 5, 7 * MIB);
    FakeParticipant young = holder("young", 9, 7 * MIB);
    reclaim(tracker);
    Reclamation.assertReclaimedExactly(tracker, List.of(faulty, middle, young), List.of(faulty));
    assertReclaimedAway(faulty);
    assertEquals(1, tracker.stats().participantsCollapsed(), () -> "collapsed: " + tracker.stats());
    Reclamation.assertUsedBytesBetween(tracker, 14 * MIB, 14 * MIB + 2 * cacheLimitBytes());
  }

  /** A participant whose oldestData() throws is treated as collapsed and its memory forgotten. */
  @Test
  public void throwingOldestDataIsTreatedAsCollapse() {
    FakeParticipant faulty = holder("faulty", 1, 7 * MIB).failingOldestData();
    holder("middle", 5, 7 * MIB);
    holder("young", 9, 7 * MIB);
    reclaim(tracker);
    assertReclaimedAway(faulty);
    check(tracker.stats().participantsCollapsed() >= 1, "counted as collapsed");
    Reclamation.assertUsedBytesBetween(tracker, 0, 14 * MIB + 2 * cacheLimitBytes());
  }

  /** A participant that does not answer within the reclaim timeout is treated as collapsed. */
  @Test
  public void participantThatTimesOutIsTreatedAsCollapse() {
    MemoryQuotaTracker t = newTracker(quota(MAX_MIB * MIB, LOW_WATER_MIB * MIB), shortReclaimTimeout());
    List<FakeParticipant> fakes = timingOut(t);
    FakeParticipant stuck = fakes.get(0);
    Reclamation.runToCompletion(t, executor, patience());
    Reclamation.assertReclaimedExactly(t, fakes, List.of(stuck));
    assertReclaimedAway(stuck);
    assertEquals(1, t.stats().participantsCollapsed(), () -> "collapsed: " + t.stats());
  }

  /** An answer that arrives after the timeout changes nothing. */
  @Test
  public void answerAfterTheTimeoutIsIgnored() {
    MemoryQuotaTracker t = newTracker(quota(MAX_MIB * MIB, LOW_WATER_MIB * MIB), shortReclaimTimeout());
    List<FakeParticipant> fakes = timingOut(t);
    FakeParticipant stuck = fakes.get(0).answering(Answer.RELEASE_OLDEST);
    Reclamation.runToCompletion(t, executor, patience());
    TrackerStats before = t.stats();
    stuck.completePending();
    executor.runUntilIdle();
    assertEquals(before, t.stats(), "stats after a late answer");
    assertReclaimedAway(stuck);
  }

  private List<FakeParticipant> timingOut(MemoryQuotaTracker t) {
    List<FakeParticipant> fakes = new ArrayList<>();
    fakes.add(fake(keep(t.newAccount()), "stuck", 1, 7 * MIB).completingOnDemand());
    fakes.add(fake(keep(t.newAccount()), "middle", 5, 7 * MIB));
    fakes.add(fake(keep(t.newAccount()), "young", 9, 7 * MIB));
    executor.runUntilIdle();
    Reclamation.assertReclaimed(t, fakes.get(0));
    return fakes;
  }

  /** A stage whose outcome changes after it completed does not corrupt the totals. */
  @Test
  public void stageCompletedTwiceDoesNotCorruptTheTotals() {
    FakeParticipant twice = chunked("twice", 1, 7).answering(Answer.RELEASE_OLDEST).completingTwice();
    FakeParticipant middle = holder("middle", 8, 7 * MIB);
    FakeParticipant young = holder("young", 9, 7 * MIB);
    reclaim(tracker);
    List<FakeParticipant> all = List.of(twice, middle, young);
    assertTotalMatches(tracker, all);
    all.forEach(FakeParticipant::close);
    assertEquals(0, tracker.usedBytes(), () -> "usedBytes: " + tracker.stats());
  }

  /** Callbacks may claim, release, close, register and open accounts on the calling thread. */
  @Test
  public void callbacksMayCallBackIntoTheTracker() {
    FakeParticipant middle = holder("middle", 5, 7 * MIB);
    FakeParticipant young = holder("young", 9, 7 * MIB);
    FakeParticipant old =
        holder("old", 1, 7 * MIB)
            .onOldestData(self -> touchEverything(self, young))
            .onReclaim((self, r) -> touchEverything(self, young));
    middle.onOldestData(self -> touchEverything(self, young));
    reclaim(tracker);
    Reclamation.assertReclaimedExactly(tracker, List.of(old, middle, young), List.of(old));
    assertTotalMatches(tracker, List.of(old, middle, young));
  }

  /** Callbacks run without the tracker's lock: another thread can use the tracker meanwhile. */
  @Test
  public void callbacksRunWithoutTheTrackersLock() {
    ConcurrentLinkedQueue<String> blocked = new ConcurrentLinkedQueue<>();
    FakeParticipant middle = holder("middle", 5, 7 * MIB);
    FakeParticipant young = holder("young", 9, 7 * MIB);
    FakeParticipant old =
        holder("old", 1, 7 * MIB)
            .onOldestData(self -> onOtherThread("oldestData", blocked, () -> touchEverything(self, young)))
            .onReclaim((self, r) -> onOtherThread("reclaim", blocked, () -> touchEverything(self, young)));
    reclaim(tracker);
    check(blocked.isEmpty(), "another thread was blocked while the tracker ran a callback: " + blocked);
    Reclamation.assertReclaimedExactly(tracker, List.of(old, middle, young), List.of(old));
  }

  private void touchEverything(FakeParticipant self, FakeParticipant other) {
    tracker.stats();
    tracker.usedBytes();
    self.participation().claim(KIB);
    self.participation().release(KIB);
    other.participation().claim(1);
    other.participation().release(1);
    Account fresh = tracker.newAccount();
    FakeParticipant.register(fresh, clock).holding(KIB).close();
    fresh.newChild().close();
    fresh.close();
  }

  private void onOtherThread(String what, ConcurrentLinkedQueue<String> blocked, Runnable action) {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                action.run();
              } catch (RuntimeException | Error e) {
                failure.set(e);
              }
            },
            "contract-" + what);
    thread.setDaemon(true);
    thread.start();
    try {
      thread.join(patience().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      blocked.add(what + ": still blocked after " + patience());
    } else if (failure.get() != null) {
      blocked.add(what + ": " + failure.get());
    }
  }

  // =========================================================================================
  // register(Function)
  // =========================================================================================

  /** A factory that throws leaves nothing behind: its participation is closed and released. */
  @Test
  public void factoryThatThrowsClosesItsParticipation() {
    Account a = account();
    AtomicReference<Participation> seen = new AtomicReference<>();
    IllegalStateException boom = new IllegalStateException("boom");
    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () ->
                a.register(
                    p -> {
                      seen.set(p);
                      p.claim(MIB);
                      throw boom;
                    }));
    assertSame(boom, thrown, "the factory's exception propagates");
    assertEquals(0, tracker.usedBytes(), () -> "after the factory threw: " + tracker.stats());
    assertEquals(0, tracker.stats().participants(), "participants");
    assertThrows(ParticipantClosedException.class, () -> seen.get().claim(1));
  }

  /** A factory that returns null is rejected, and its participation closed. */
  @Test
  public void factoryReturningNullIsRejected() {
    Account a = account();
    assertThrows(
        NullPointerException.class,
        () ->
            a.register(
                p -> {
                  p.claim(MIB);
                  return (IsParticipant) null;
                }));
    assertEquals(0, tracker.usedBytes(), () -> "after the factory returned null: " + tracker.stats());
  }

  /** The participant is not reclaimed before its factory returns; afterwards it is a candidate. */
  @Test
  public void participantIsNotReclaimedBeforeItsFactoryReturns() {
    Account a = account();
    FakeParticipant f =
        keep(
            a.register(
                p -> {
                  FakeParticipant built = FakeParticipant.around(p, clock).holdingAt(age(1), 21 * MIB);
                  executor.runUntilIdle();
                  check(!built.wasAskedToReclaim(), "asked to reclaim before the factory returned");
                  return built;
                }));
    check(!a.isClosed(), "the account must not be reclaimed while its participant is being built");
    // More than a cache, so that the claim reaches the tracker and wakes reclamation again.
    f.holdingAt(age(2), cacheLimitBytes() + 1);
    reclaim(tracker);
    check(a.isClosed(), "once built, the participant is a candidate like any other");
  }

  // =========================================================================================
  // Reconfiguration
  // =========================================================================================

  /** Lowering the maximum below the total starts reclamation down to the new low-water mark. */
  @Test
  public void loweringMaxBelowTheTotalStartsReclamation() {
    FakeParticipant old = holder("old", 1, 5 * MIB);
    FakeParticipant middle = holder("middle", 5, 5 * MIB);
    FakeParticipant young = holder("young", 9, 5 * MIB);
    reclaim(tracker);
    QuotaConfig lower = quota(12 * MIB, 9 * MIB);
    tracker.reconfigure(lower);
    assertEquals(lower, tracker.config(), "config() after reconfigure");
    assertEquals(12 * MIB, tracker.stats().maxBytes(), "stats().maxBytes()");
    assertEquals(9 * MIB, tracker.stats().lowWaterBytes(), "stats().lowWaterBytes()");
    reclaim(tracker);
    Reclamation.assertReclaimedExactly(tracker, List.of(old, middle, young), List.of(old, middle));
  }

  /** Raising the maximum reclaims nothing. */
  @Test
  public void raisingMaxReclaimsNothing() {
    FakeParticipant f = holder("f", 1, 15 * MIB);
    tracker.reconfigure(quota(40 * MIB, 30 * MIB));
    holder("g", 2, 10 * MIB);
    reclaim(tracker);
    Reclamation.assertNotReclaimed(tracker, f);
    assertEquals(0, tracker.stats().reclamationCycles(), "cycles");
  }

  /** Tracking cannot be switched off on a live tracker. */
  @Test
  public void reconfigureRejectsUnlimited() {
    assertThrows(IllegalArgumentException.class, () -> tracker.reconfigure(QuotaConfig.unlimited()));
    assertEquals(quota(MAX_MIB * MIB, LOW_WATER_MIB * MIB), tracker.config(), "config unchanged");
  }

  // =========================================================================================
  // Closed tracker
  // =========================================================================================

  /** Closing the tracker releases everything and closes every account. */
  @Test
  public void closingTheTrackerReleasesEverything() {
    Account a = account();
    Account child = keep(a.newChild());
    FakeParticipant f = fake(a, "f", 1, 3 * MIB);
    fake(child, "g", 1, MIB);
    tracker.close();
    assertEquals(0, tracker.usedBytes(), "usedBytes after close");
    assertEquals(0, tracker.stats().usedBytes(), "stats().usedBytes() after close");
    check(a.isClosed() && child.isClosed(), "every account is closed with its tracker");
    f.participation().release(3 * MIB);
    tracker.close();
  }

  /** After close, claims and every factory method throw TrackerShutdownException. */
  @Test
  public void useAfterTrackerCloseThrows() {
    Account a = account();
    FakeParticipant f = fake(a, "f", 1, MIB);
    tracker.close();
    assertThrows(TrackerShutdownException.class, () -> f.participation().claim(1));
    assertThrows(TrackerShutdownException.class, tracker::newAccount);
    assertThrows(TrackerShutdownException.class, () -> tracker.newAccount(a));
    assertThrows(TrackerShutdownException.class, a::newChild);
    assertThrows(TrackerShutdownException.class, () -> a.register(new SilentParticipant()));
    assertThrows(
        TrackerShutdownException.class, () -> tracker.reconfigure(quota(MAX_MIB * MIB, LOW_WATER_MIB * MIB)));
    f.participation().release(1);
    f.participation().close();
    a.close();
  }

  /** A close while reclamation is queued or waiting abandons it cleanly. */
  @Test
  public void closeAbandonsPendingReclamation() {
    FakeParticipant waiting = holder("waiting", 1, 7 * MIB).completingOnDemand();
    FakeParticipant middle = holder("middle", 5, 7 * MIB);
    holder("young", 9, 7 * MIB);
    executor.runUntilIdle();
    tracker.close();
    waiting.completePending();
    executor.runUntilIdle();
    Reclamation.assertNotReclaimed(tracker, middle);
    assertEquals(0, tracker.usedBytes(), "usedBytes");
    check(!tracker.stats().reclaiming(), "no cycle after close");
  }

  // =========================================================================================
  // Garbage collection
  // =========================================================================================

  /** A participant that was garbage-collected counts as having released everything. */
  @Test
  public void garbageCollectedParticipantIsReleased() {
    Account a = account();
    WeakReference<FakeParticipant> gone = registerAndDrop(a, 3 * MIB);
    Gc.awaitCollected(tracker, gone, patience());
    Gc.awaitCondition(
        tracker,
        () -> {
          tracker.newAccount().close();
          return tracker.usedBytes() == 0 && tracker.stats().participants() == 0;
        },
        patience(),
        () -> "the collected participant's memory and participation to be released");
  }

  /** A garbage-collected participant is torn down no later than the next cycle. */
  @Test
  public void garbageCollectedParticipantIsReleasedByTheNextCycle() {
    FakeParticipant young = holder("young", 9, 9 * MIB);
    WeakReference<FakeParticipant> gone = registerAndDrop(account(), 12 * MIB);
    Gc.awaitCollected(tracker, gone, patience());
    reclaim(tracker);
    Reclamation.assertNotReclaimed(tracker, young);
    Reclamation.assertUsedBytesBetween(tracker, 9 * MIB, 9 * MIB + cacheLimitBytes());
  }

  private WeakReference<FakeParticipant> registerAndDrop(Account a, long bytes) {
    return new WeakReference<>(FakeParticipant.register(a, clock).holdingAt(age(1), bytes));
  }

  /** An account handle that becomes unreachable without close() is closed after GC. */
  @Test
  public void unreachableAccountIsClosedAfterGarbageCollection() {
    FakeParticipant orphan = keep(orphanedParticipant(2 * MIB));
    Gc.awaitCondition(
        tracker,
        () -> tracker.usedBytes() == 0,
        patience(),
        () -> "the unreachable account to be closed and its memory released");
    AccountClosedException e =
        assertThrows(AccountClosedException.class, () -> orphan.participation().claim(1));
    assertFalse(e.reclaimed(), "an account closed after GC was not reclaimed under pressure");
  }

  private FakeParticipant orphanedParticipant(long bytes) {
    return FakeParticipant.register(tracker.newAccount(), clock).holdingAt(age(1), bytes);
  }

  // =========================================================================================

  /** A fake in a new account of the default tracker with {@code n} chunks of 1 MiB, ages from. */
  private FakeParticipant chunked(String name, int fromSeconds, int n) {
    return chunked(account(), name, fromSeconds, n);
  }

  private FakeParticipant chunked(Account a, String name, int fromSeconds, int n) {
    FakeParticipant f = keep(FakeParticipant.register(a, clock).named(name));
    for (int i = 0; i < n; i++) {
      f.holdingAt(age(fromSeconds + i), MIB);
    }
    return f;
  }

  /** A participant that holds nothing and never reclaims anything. */
  private static final class SilentParticipant implements IsParticipant {
    @Override
    public OptionalLong oldestData() {
      return OptionalLong.empty();
    }

    @Override
    public CompletionStage<Reclaimed> reclaim(ReclaimRequest request) {
      return CompletableFuture.completedFuture(Reclaimed.COLLAPSING);
    }
  }
}
