package dev.memquota.bench;

import dev.memquota.Account;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.Participation;
import dev.memquota.QuotaConfig;
import dev.memquota.TrackerStats;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * B4: one full reclamation cycle, from just above the maximum down to the low-water mark, over
 * {@code accounts} top-level accounts of one participant each.
 *
 * <p>Each invocation gets a fresh tracker whose executor only queues tasks; the benchmark method
 * runs the queued tasks until none is left, so the whole cycle (heap build, every victim, the
 * answers) runs on the measuring thread and nothing else. Every participant holds 64 KiB and
 * answers {@code COLLAPSING} synchronously; their data ages are a shuffled permutation, so the
 * heap sees no helpful order. The maximum is set just below the total the participants hold, so
 * the cycle reclaims about a quarter of the accounts (the default low-water mark is 75% of the
 * maximum).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 12)
@Measurement(iterations = 12)
@Fork(value = 2, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class ReclaimBench {
  static final long CLAIM = 64 * 1024;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  @Param({"1000", "10000", "100000"})
  public int accounts;

  private ArrayDeque<Runnable> tasks;
  private MemoryQuotaTracker tracker;
  private Account[] accountHandles;
  private Participation[] participations;
  private Fixtures.Collapsing[] participants;

  @Setup(Level.Trial)
  public void quietLogs() {
    Logs.quiet();
  }

  @Setup(Level.Invocation)
  public void setUp() {
    tasks = new ArrayDeque<>();
    tracker = Fixtures.trackerOn(tasks::add);
    accountHandles = new Account[accounts];
    participations = new Participation[accounts];
    participants = new Fixtures.Collapsing[accounts];
    long[] ages = shuffledAges(accounts);
    for (int i = 0; i < accounts; i++) {
      accountHandles[i] = tracker.newAccount();
      participants[i] = new Fixtures.Collapsing(ages[i]);
      participations[i] = accountHandles[i].register(participants[i]);
      participations[i].claim(CLAIM);
    }
    // Just below what is held: lowering the maximum wakes reclamation (one task is queued).
    long max = tracker.usedBytes() - 1;
    tracker.reconfigure(QuotaConfig.builder().maxBytes(max).build());
    if (tasks.size() != 1) {
      throw new IllegalStateException("expected one queued reclamation task, got " + tasks.size());
    }
    // Start the measurement with a clean heap, so that no collection owed to the set-up lands in it.
    System.gc();
  }

  /** The measuring thread's CPU time for the cycle, reported beside the wall time. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Cpu {
    public double cpuMs;
  }

  @Benchmark
  public long fullReclamation(Cpu cpu) {
    long start = THREADS.getCurrentThreadCpuTime();
    for (Runnable task; (task = tasks.poll()) != null; ) {
      task.run();
    }
    cpu.cpuMs = (THREADS.getCurrentThreadCpuTime() - start) / 1e6;
    return tracker.usedBytes();
  }

  @TearDown(Level.Invocation)
  public void tearDown() {
    TrackerStats stats = tracker.stats();
    if (stats.usedBytes() > stats.lowWaterBytes() || stats.reclaiming()) {
      throw new IllegalStateException("reclamation did not reach the low-water mark: " + stats);
    }
    // Close every handle so that no cleaner work from this tracker spills into the next shot.
    for (Account a : accountHandles) {
      a.close();
    }
    tracker.close();
    tracker = null;
    accountHandles = null;
    participations = null;
    participants = null;
  }

  private static long[] shuffledAges(int n) {
    long[] ages = new long[n];
    for (int i = 0; i < n; i++) {
      ages[i] = 1_000_000_000L + i;
    }
    SplittableRandom random = new SplittableRandom(42);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      long t = ages[i];
      ages[i] = ages[j];
      ages[j] = t;
    }
    return ages;
  }
}
