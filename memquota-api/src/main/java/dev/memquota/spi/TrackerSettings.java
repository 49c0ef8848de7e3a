package dev.memquota.spi;

import dev.memquota.MemoryClock;
import dev.memquota.QuotaConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * What {@link dev.memquota.MemoryQuotaTracker.Builder} hands to a provider: everything needed to
 * create one tracker. Immutable.
 */
public final class TrackerSettings {
  private final QuotaConfig config;
  private final MemoryClock clock;
  private final Executor executor;
  private final Duration reclaimTimeout;

  /**
   * Creates settings.
   *
   * @param config the quota; not unlimited
   * @param clock the clock that data ages are measured on
   * @param executor the executor that runs reclamation, or {@code null} for the provider's default
   *     (one daemon thread per tracker)
   * @param reclaimTimeout how long a participant may take to answer a reclaim request; positive
   * @throws NullPointerException if {@code config}, {@code clock} or {@code reclaimTimeout} is null
   * @throws IllegalArgumentException if {@code config} is unlimited or {@code reclaimTimeout} is not
   *     positive
   */
  public TrackerSettings(
      QuotaConfig config, MemoryClock clock, Executor executor, Duration reclaimTimeout) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.executor = executor;
    this.reclaimTimeout = Objects.requireNonNull(reclaimTimeout, "reclaimTimeout");
    if (config.isUnlimited()) {
      throw new IllegalArgumentException("an unlimited config needs no provider: " + config);
    }
    if (reclaimTimeout.isNegative() || reclaimTimeout.isZero()) {
      throw new IllegalArgumentException("reclaimTimeout must be positive, was " + reclaimTimeout);
    }
  }

  /**
   * Returns the quota.
   *
   * @return the quota; never unlimited
   */
  public QuotaConfig config() {
    return config;
  }

  /**
   * Returns the clock.
   *
   * @return the clock that data ages are measured on
   */
  public MemoryClock clock() {
    return clock;
  }

  /**
   * Returns the executor chosen by the user.
   *
   * @return the executor that runs reclamation, or empty for the provider's default
   */
  public Optional<Executor> executor() {
    return Optional.ofNullable(executor);
  }

  /**
   * Returns the reclaim timeout.
   *
   * @return how long a participant may take to complete a reclaim request before it is treated as
   *     collapsed
   */
  public Duration reclaimTimeout() {
    return reclaimTimeout;
  }

  @Override
  public String toString() {
    return "TrackerSettings[config="
        + config
        + ", clock="
        + clock
        + ", executor="
        + (executor == null ? "default" : executor)
        + ", reclaimTimeout="
        + reclaimTimeout
        + "]";
  }
}
