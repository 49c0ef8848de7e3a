package dev.memquota.bench;

import dev.memquota.IsParticipant;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.QuotaConfig;
import dev.memquota.ReclaimRequest;
import dev.memquota.Reclaimed;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/** What the benchmarks share: trackers built through the public API, participants, baselines. */
final class Fixtures {
  /** A maximum no benchmark reaches unless it means to: 1 TiB. */
  static final long HUGE_MAX = 1L << 40;

  private static final CompletionStage<Reclaimed> COLLAPSED =
      CompletableFuture.completedFuture(Reclaimed.COLLAPSING);

  private Fixtures() {}

  /** A tracker (found by ServiceLoader) whose maximum is never reached. */
  static MemoryQuotaTracker trackerThatNeverReclaims() {
    return MemoryQuotaTracker.builder()
        .config(QuotaConfig.builder().maxBytes(HUGE_MAX).build())
        .build();
  }

  /** A tracker with a huge maximum whose reclamation tasks go to {@code executor}. */
  static MemoryQuotaTracker trackerOn(Executor executor) {
    return MemoryQuotaTracker.builder()
        .config(QuotaConfig.builder().maxBytes(HUGE_MAX).build())
        .executor(executor)
        .build();
  }

  /**
   * A participant that reports its data as added at {@code age} and, asked to reclaim, answers
   * {@link Reclaimed#COLLAPSING} at once (as the reference's participants do).
   */
  static final class Collapsing implements IsParticipant {
    private final OptionalLong age;

    Collapsing(long age) {
      this.age = OptionalLong.of(age);
    }

    @Override
    public OptionalLong oldestData() {
      return age;
    }

    @Override
    public CompletionStage<Reclaimed> reclaim(ReclaimRequest request) {
      return COLLAPSED;
    }
  }

  /**
   * The simple design the engine is compared with: one total guarded by one lock, taken by every
   * claim and every release.
   */
  static final class LockedTotal {
    private long total;

    synchronized void claim(long bytes) {
      total += bytes;
    }

    synchronized void release(long bytes) {
      total -= bytes;
    }

    synchronized long total() {
      return total;
    }
  }
}
