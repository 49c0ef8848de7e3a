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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * B2: two threads, each claiming and releasing 64 bytes through its own participation in one
 * shared account, against the same two threads on one lock-guarded total. Throughput is the sum
 * over both threads.
 *
 * <p>Each thread registers its own participation in its own {@code @Setup}, as a participant
 * created on the thread that uses it would be.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@Threads(2)
public class ContendedBench {
  static final long SMALL = ClaimReleaseBench.SMALL;

  /** The tracker, the one account and the baseline's total, shared by both threads. */
  @State(Scope.Benchmark)
  public static class Shared {
    MemoryQuotaTracker tracker;
    Account account;
    final Fixtures.LockedTotal lockedTotal = new Fixtures.LockedTotal();

    @Setup(Level.Trial)
    public void setUp() {
      tracker = Fixtures.trackerThatNeverReclaims();
      account = tracker.newAccount();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      if (lockedTotal.total() != 0) {
        throw new AssertionError("baseline unbalanced");
      }
      account.close();
      tracker.close();
    }
  }

  /** One thread's participation, and its own counter for the scaling control. */
  @State(Scope.Thread)
  public static class Own {
    Participation participation;
    private Fixtures.Collapsing participant;
    final AtomicLong counter = new AtomicLong();

    @Setup(Level.Trial)
    public void setUp(Shared shared) {
      participant = new Fixtures.Collapsing(0);
      participation = shared.account.register(participant);
    }
  }

  @Benchmark
  public void b2Memquota(Own own) {
    own.participation.claim(SMALL);
    own.participation.release(SMALL);
  }

  /**
   * Control, not a target: each thread adds and subtracts on its own {@link AtomicLong}, which
   * shares nothing. Its throughput over B1's {@code AtomicLong} baseline is the most that two
   * threads can scale on this machine at the time of the run.
   */
  @Benchmark
  public void b2ControlOwnAtomicLong(Own own) {
    own.counter.addAndGet(SMALL);
    own.counter.addAndGet(-SMALL);
  }

  /** The simple design: every claim and release takes the one lock. */
  @Benchmark
  @Fork(value = 3, jvmArgsAppend = "-XX:-EliminateLocks")
  public void b2LockedTotal(Shared shared) {
    shared.lockedTotal.claim(SMALL);
    shared.lockedTotal.release(SMALL);
  }
}
