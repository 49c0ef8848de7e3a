package dev.memquota.stress;

import dev.memquota.Account;
import dev.memquota.AccountClosedException;
import dev.memquota.IsParticipant;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.Participation;
import dev.memquota.ReclaimRequest;
import dev.memquota.Reclaimed;
import dev.memquota.impl.StressAccess;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/** Shared pieces of the jcstress tests: a hand-run executor and a participant that collapses. */
final class Fixture {
  /** 160 KiB, the smallest low-water mark a configuration accepts. */
  static final long LOW = 160 * 1024;

  /** 192 KiB: a tracker with a little headroom above {@link #LOW}. */
  static final long MAX = 192 * 1024;

  /**
   * The engine logs every reclamation cycle at INFO; jcstress runs millions of them. Held strongly,
   * since java.util.logging keeps loggers only weakly.
   */
  private static final java.util.logging.Logger ENGINE_LOG = quiet();

  private Fixture() {}

  private static java.util.logging.Logger quiet() {
    java.util.logging.Logger log = java.util.logging.Logger.getLogger("dev.memquota.impl");
    log.setLevel(java.util.logging.Level.OFF);
    return log;
  }

  /** A tracker whose reclamation runs only when an actor drains {@code tasks}. */
  static MemoryQuotaTracker tracker(Tasks tasks) {
    assert ENGINE_LOG.getLevel() == java.util.logging.Level.OFF;
    return StressAccess.tracker(MAX, LOW, () -> 1_000_000_000L, tasks, Duration.ofSeconds(30));
  }

  /** 1 if the tracker's records agree with its totals, else 0. */
  static int consistent(MemoryQuotaTracker tracker) {
    return StressAccess.inconsistency(tracker) == null ? 1 : 0;
  }

  /** 1 if {@code op} succeeded, 0 if it threw AccountClosedException, -1 for anything else. */
  static int attempt(Runnable op) {
    try {
      op.run();
      return 1;
    } catch (AccountClosedException e) {
      return 0;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /**
   * Two accounts over the maximum together: A with the oldest data (stamp 100), B younger (200),
   * and a reclamation cycle queued on {@link #tasks}.
   */
  static final class TwoAccounts {
    final Tasks tasks = new Tasks();
    final MemoryQuotaTracker tracker = tracker(tasks);
    final Account a = tracker.newAccount();
    final Account b = tracker.newAccount();
    private final Holder oldest = new Holder(100);
    private final Holder younger = new Holder(200);
    final Participation pa = a.register(oldest);
    final Participation pb = b.register(younger);

    TwoAccounts(long bytesA, long bytesB) {
      pa.claim(bytesA);
      pb.claim(bytesB);
    }
  }

  /** An executor that only queues; {@link #drain()} runs the tasks on the caller's thread. */
  static final class Tasks implements Executor {
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();

    @Override
    public void execute(Runnable task) {
      queue.add(task);
    }

    void drain() {
      for (Runnable r; (r = queue.poll()) != null; ) {
        r.run();
      }
    }
  }

  /** Holds data stamped at a fixed time; collapses when asked to reclaim. */
  static final class Holder implements IsParticipant {
    private final long stamp;
    volatile boolean collapsed;

    Holder(long stamp) {
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
}
