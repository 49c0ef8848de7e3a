package dev.memquota.bench;

import dev.memquota.Account;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.Participation;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * B1 and B3: one thread, claim + release pairs on one participation, against a baseline that does
 * the same pair on a plain shared counter.
 *
 * <ul>
 *   <li>B1: {@code claim(64)} + {@code release(64)}, served from the participation's cache, against
 *       an uncontended {@link AtomicLong} add/subtract pair.
 *   <li>B3: {@code claim(64 KiB)} + {@code release(64 KiB)}, always beyond the cache, so both halves
 *       go to the tracker's total, against the lock-guarded total.
 * </ul>
 *
 * The lock baseline runs with {@code -XX:-EliminateLocks}: otherwise C2 merges its two adjacent
 * {@code synchronized} blocks into one (lock coarsening), which a real claim and a later release,
 * made far apart, would never get.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class ClaimReleaseBench {
  static final long SMALL = 64;
  static final long LARGE = 64 * 1024;

  private MemoryQuotaTracker tracker;
  private Account account;
  private Participation participation;
  // The tracker holds participants weakly: keep it reachable for the whole run.
  private Fixtures.Collapsing participant;

  private final AtomicLong atomicTotal = new AtomicLong();
  private final Fixtures.LockedTotal lockedTotal = new Fixtures.LockedTotal();

  @Setup(Level.Trial)
  public void setUp() {
    tracker = Fixtures.trackerThatNeverReclaims();
    account = tracker.newAccount();
    participant = new Fixtures.Collapsing(0);
    participation = account.register(participant);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (atomicTotal.get() != 0 || lockedTotal.total() != 0) {
      throw new AssertionError("baseline unbalanced");
    }
    account.close();
    tracker.close();
  }

  /** B1: the engine's cache path. */
  @Benchmark
  public void b1Memquota() {
    participation.claim(SMALL);
    participation.release(SMALL);
  }

  /** B1 baseline. */
  @Benchmark
  public void b1AtomicLong() {
    atomicTotal.addAndGet(SMALL);
    atomicTotal.addAndGet(-SMALL);
  }

  /** B3: claims beyond the cache. */
  @Benchmark
  public void b3Memquota() {
    participation.claim(LARGE);
    participation.release(LARGE);
  }

  /** B3 baseline. */
  @Benchmark
  @Fork(value = 3, jvmArgsAppend = "-XX:-EliminateLocks")
  public void b3LockedTotal() {
    lockedTotal.claim(LARGE);
    lockedTotal.release(LARGE);
  }
}
