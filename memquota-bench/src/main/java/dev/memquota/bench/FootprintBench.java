package dev.memquota.bench;

import dev.memquota.Account;
import dev.memquota.IsParticipant;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.Participation;
import dev.memquota.ReclaimRequest;
import dev.memquota.Reclaimed;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jol.info.GraphLayout;

/**
 * B5: the tracker's memory per registered participant (participation handle included) and per
 * account (account handle included), at 100,000 of each, against an empty tracker.
 *
 * <p>Two independent methods, both reported:
 *
 * <ul>
 *   <li><b>Graph</b> (JOL): the size of every object reachable from the tracker and from the
 *       handles, minus the same for an empty tracker, divided by the count. The tracker holds its
 *       participants through weak references; the walk would step into them, so objects of the
 *       participant class (which has no fields, so nothing lies behind it) are left out. The
 *       arrays holding the handles are the caller's and are not roots.
 *   <li><b>Heap</b>: heap in use after repeated full collections, before and after registering,
 *       with the participants and the arrays for the handles allocated <em>before</em> the first
 *       reading, so that only what registering allocates shows in the difference.
 * </ul>
 *
 * The time this benchmark reports is meaningless (it is building and measuring); its secondary
 * results are the figures.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "-Xms2g",
      "-Xmx2g",
      "-XX:+EnableDynamicAgentLoading",
      "-Djdk.attach.allowAttachSelf=true",
      "-Djol.tryWithSudo=false",
      // JOL reads fields by reflection first; without these it falls back only after an
      // exception per field, which makes a walk of a million objects take a minute.
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.ref=ALL-UNNAMED",
      "--add-opens=java.base/java.time=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED"
    })
public class FootprintBench {
  static final int COUNT = 100_000;

  /** The figures, in bytes, reported as JMH secondary results. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Bytes {
    public double graphPerParticipant;
    public double heapPerParticipant;
    public double graphPerAccount;
    public double heapPerAccount;
  }

  /** A participant with no state of its own, so that leaving its class out leaves out all of it. */
  static final class Idle implements IsParticipant {
    private static final CompletionStage<Reclaimed> COLLAPSED =
        CompletableFuture.completedFuture(Reclaimed.COLLAPSING);

    @Override
    public OptionalLong oldestData() {
      return OptionalLong.empty();
    }

    @Override
    public CompletionStage<Reclaimed> reclaim(ReclaimRequest request) {
      return COLLAPSED;
    }
  }

  @Benchmark
  public void b5Footprint(Bytes out) {
    out.graphPerParticipant = graphPerParticipant();
    out.heapPerParticipant = heapPerParticipant();
    out.graphPerAccount = graphPerAccount();
    out.heapPerAccount = heapPerAccount();
  }

  private static double graphPerParticipant() {
    try (MemoryQuotaTracker tracker = Fixtures.trackerThatNeverReclaims();
        Account account = tracker.newAccount()) {
      long empty = trackerSideBytes(tracker, account);
      Object[] roots = new Object[COUNT + 2];
      Idle[] participants = newParticipants();
      roots[0] = tracker;
      roots[1] = account;
      for (int i = 0; i < COUNT; i++) {
        roots[i + 2] = account.register(participants[i]);
      }
      double perParticipant = (double) (trackerSideBytes(roots) - empty) / COUNT;
      reachabilityFence(participants);
      return perParticipant;
    }
  }

  private static double heapPerParticipant() {
    try (MemoryQuotaTracker tracker = Fixtures.trackerThatNeverReclaims();
        Account account = tracker.newAccount()) {
      Idle[] participants = newParticipants();
      Participation[] handles = new Participation[COUNT];
      long before = heapInUse();
      for (int i = 0; i < COUNT; i++) {
        handles[i] = account.register(participants[i]);
      }
      long after = heapInUse();
      reachabilityFence(participants);
      reachabilityFence(handles);
      return (double) (after - before) / COUNT;
    }
  }

  private static double graphPerAccount() {
    try (MemoryQuotaTracker tracker = Fixtures.trackerThatNeverReclaims()) {
      long empty = trackerSideBytes(tracker);
      Object[] roots = new Object[COUNT + 1];
      roots[0] = tracker;
      for (int i = 0; i < COUNT; i++) {
        roots[i + 1] = tracker.newAccount();
      }
      double perAccount = (double) (trackerSideBytes(roots) - empty) / COUNT;
      closeAccounts(roots, 1);
      return perAccount;
    }
  }

  private static double heapPerAccount() {
    try (MemoryQuotaTracker tracker = Fixtures.trackerThatNeverReclaims()) {
      Account[] accounts = new Account[COUNT];
      long before = heapInUse();
      for (int i = 0; i < COUNT; i++) {
        accounts[i] = tracker.newAccount();
      }
      long after = heapInUse();
      closeAccounts(accounts, 0);
      return (double) (after - before) / COUNT;
    }
  }

  /** Bytes of the graph reachable from {@code roots}, participants left out. */
  private static long trackerSideBytes(Object... roots) {
    GraphLayout graph = GraphLayout.parseInstance(roots);
    return graph.totalSize() - graph.getClassSizes().count(Idle.class);
  }

  private static Idle[] newParticipants() {
    Idle[] participants = new Idle[COUNT];
    for (int i = 0; i < COUNT; i++) {
      participants[i] = new Idle();
    }
    return participants;
  }

  private static void closeAccounts(Object[] handles, int from) {
    for (int i = from; i < handles.length; i++) {
      ((Account) handles[i]).close();
    }
  }

  /** Heap in use once repeated full collections stop shrinking it. */
  private static long heapInUse() {
    Runtime rt = Runtime.getRuntime();
    long best = Long.MAX_VALUE;
    for (int stable = 0, round = 0; stable < 3 && round < 20; round++) {
      System.gc();
      long used = rt.totalMemory() - rt.freeMemory();
      if (used < best) {
        best = used;
        stable = 0;
      } else {
        stable++;
      }
    }
    return best;
  }

  private static void reachabilityFence(Object o) {
    java.lang.ref.Reference.reachabilityFence(o);
  }
}
