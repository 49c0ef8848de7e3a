package dev.memquota.impl;

import dev.memquota.MemoryClock;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.Participation;
import dev.memquota.QuotaConfig;
import dev.memquota.spi.TrackerSettings;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The stress tests' door into the engine's package: builds a tracker without {@link
 * java.util.ServiceLoader} (jcstress makes many thousands) and re-derives its totals. Lives in the
 * engine's package on the class path only; the engine module itself exports nothing.
 */
public final class StressAccess {
  private StressAccess() {}

  /** A default-engine tracker on the given clock and executor. */
  public static MemoryQuotaTracker tracker(
      long max, long lowWater, MemoryClock clock, Executor executor, Duration reclaimTimeout) {
    return new Tracker(
        new TrackerSettings(
            QuotaConfig.builder().maxBytes(max).lowWaterBytes(lowWater).build(),
            clock,
            executor,
            reclaimTimeout));
  }

  /**
   * Re-derives every count from the records ({@code Tracker.checkConsistency()}).
   *
   * @return {@code null} when consistent, else the inconsistency found
   */
  public static String inconsistency(MemoryQuotaTracker tracker) {
    try {
      ((Tracker) tracker).checkConsistency();
      return null;
    } catch (AssertionError e) {
      return e.getMessage();
    }
  }

  /** Bytes claimed and not released through {@code p}; 0 once closed. */
  public static long used(Participation p) {
    return Ledger.used((ParticipationRecord) p);
  }

  /** Bytes {@code p} holds of the tracker's total (used + cache); 0 once closed. */
  public static long held(Participation p) {
    return Ledger.held((ParticipationRecord) p);
  }

  /** The largest cache a participation keeps. */
  public static long cacheMax() {
    return Ledger.CACHE_MAX;
  }
}
