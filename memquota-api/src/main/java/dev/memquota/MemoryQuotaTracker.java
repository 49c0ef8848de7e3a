package dev.memquota;

import dev.memquota.spi.MemoryQuotaProvider;
import dev.memquota.spi.TrackerSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * One instance of the memory quota system: a maximum, a low-water mark, the total of claimed bytes
 * and the accounts.
 *
 * <p>Create one with {@link #create(QuotaConfig)} or {@link #builder()}; the engine is found
 * through {@link java.util.ServiceLoader} (add {@code dev.memquota:memquota-impl} to the runtime
 * path). Trackers are independent; the caller owns the tracker and closes it. There is no global
 * instance.
 *
 * <pre>{@code
 * try (MemoryQuotaTracker tracker = MemoryQuotaTracker.create(
 *         QuotaConfig.builder().maxBytes(64 << 20).build());
 *     Account connection = tracker.newAccount()) {
 *   Participation p = connection.register(myQueue);   // myQueue implements IsParticipant
 *   p.claim(1500);                                     // a packet was buffered
 *   p.release(1500);                                   // ... and sent
 * }
 * }</pre>
 *
 * <p><b>Thread-safety:</b> trackers and all their handles are safe for use from any number of
 * threads.
 *
 * <p><b>Reclamation:</b> a claim that reaches the tracker (one that a participation's cache
 * cannot cover) and leaves the total above the maximum wakes the reclamation task, which runs on the tracker's {@link Builder#executor(Executor) executor} (never on the
 * claiming thread). It repeatedly picks the account holding the oldest data, asks its participants
 * and those of its descendants to reclaim, and stops once the total is at or below the low-water
 * mark. Claims are never refused for being over quota.
 */
public interface MemoryQuotaTracker extends AutoCloseable {

  /** The system property that selects a provider by {@linkplain MemoryQuotaProvider#name() name}. */
  String PROVIDER_PROPERTY = "memquota.provider";

  /**
   * Creates a tracker with the given quota and default settings, using the provider found on the
   * path.
   *
   * @param config the quota; {@link QuotaConfig#unlimited()} gives a {@linkplain #noop() no-op
   *     tracker}
   * @return a new, open tracker
   * @throws NullPointerException if {@code config} is {@code null}
   * @throws IllegalStateException if no provider is found, or the one named by {@value
   *     #PROVIDER_PROPERTY} is not
   */
  static MemoryQuotaTracker create(QuotaConfig config) {
    return builder().config(config).build();
  }

  /**
   * Returns a builder for a tracker with non-default settings.
   *
   * @return a new builder
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a tracker that tracks nothing and never reclaims: every account and participation it
   * hands out is a no-op whose methods succeed, even after {@code close()}. Use it to run without a
   * quota on purpose; it needs no provider.
   *
   * @return the no-op tracker
   */
  static MemoryQuotaTracker noop() {
    return NoopTracker.INSTANCE;
  }

  /**
   * Opens a new top-level account.
   *
   * @return a new open account with no parent
   * @throws TrackerShutdownException if this tracker is closed
   */
  Account newAccount();

  /**
   * Opens a new account as a child of {@code parent}: reclaiming {@code parent} reclaims the child
   * too. Same as {@code parent.newChild()}.
   *
   * @param parent an open account of this tracker
   * @return a new open account
   * @throws NullPointerException if {@code parent} is {@code null}
   * @throws IllegalArgumentException if {@code parent} belongs to another tracker
   * @throws AccountClosedException if {@code parent} is closed or was reclaimed
   * @throws TrackerShutdownException if this tracker is closed
   */
  Account newAccount(Account parent);

  /**
   * Returns the tracker's total: the bytes claimed by all participations plus their caches.
   * Approximate under concurrent use; exact when no claim or release is in flight. Zero once
   * closed.
   *
   * @return the total in bytes
   */
  long usedBytes();

  /**
   * Returns the quota in force.
   *
   * @return the current configuration
   */
  QuotaConfig config();

  /**
   * Replaces the quota. Lowering the maximum below the current total starts reclamation at once.
   *
   * @param config the new quota; not {@linkplain QuotaConfig#isUnlimited() unlimited} (tracking
   *     cannot be switched off on a live tracker)
   * @throws NullPointerException if {@code config} is {@code null}
   * @throws IllegalArgumentException if {@code config} is unlimited
   * @throws TrackerShutdownException if this tracker is closed
   */
  void reconfigure(QuotaConfig config);

  /**
   * Returns a snapshot of the tracker's state and counters.
   *
   * @return the snapshot; works after {@code close()} too
   */
  TrackerStats stats();

  /**
   * Returns the clock against which participants must report data ages.
   *
   * @return the tracker's clock
   */
  MemoryClock clock();

  /**
   * Shuts the tracker down: every account and participation is closed, all memory is released,
   * pending reclamation is abandoned, and the default executor's thread ends. Further use of its
   * handles throws {@link TrackerShutdownException} (releases do nothing). Idempotent; never
   * throws.
   */
  @Override
  void close();

  /**
   * Builds a {@link MemoryQuotaTracker} with non-default settings. Each setting may be given once.
   * Not thread-safe.
   *
   * <p>Defaults: {@link QuotaConfig#auto()}, {@link MemoryClock#system()}, the provider's own
   * executor (one daemon thread per tracker), a reclaim timeout of {@value
   * #DEFAULT_RECLAIM_TIMEOUT_SECONDS} seconds, and the provider chosen as described on {@link
   * MemoryQuotaProvider}.
   */
  final class Builder {
    /** The reclaim timeout used when none is set, in seconds. */
    public static final long DEFAULT_RECLAIM_TIMEOUT_SECONDS = 5;

    private QuotaConfig config;
    private MemoryClock clock;
    private Executor executor;
    private Duration reclaimTimeout;
    private String provider;
    private MemoryQuotaProvider providerInstance;

    Builder() {}

    /**
     * Sets the quota.
     *
     * @param config the quota; {@link QuotaConfig#unlimited()} makes {@link #build()} return the
     *     {@linkplain MemoryQuotaTracker#noop() no-op tracker}
     * @return this builder
     * @throws NullPointerException if {@code config} is {@code null}
     * @throws IllegalStateException if the quota was already set
     */
    public Builder config(QuotaConfig config) {
      Objects.requireNonNull(config, "config");
      requireUnset("config", this.config);
      this.config = config;
      return this;
    }

    /**
     * Sets the clock that data ages are measured on.
     *
     * @param clock the clock; participants must report ages on it
     * @return this builder
     * @throws NullPointerException if {@code clock} is {@code null}
     * @throws IllegalStateException if the clock was already set
     */
    public Builder clock(MemoryClock clock) {
      Objects.requireNonNull(clock, "clock");
      requireUnset("clock", this.clock);
      this.clock = clock;
      return this;
    }

    /**
     * Sets the executor that runs reclamation. The tracker submits short tasks to it; it never
     * shuts it down. An executor that runs tasks on the calling thread is not supported: reclamation
     * must not run on a claiming thread.
     *
     * @param executor the executor
     * @return this builder
     * @throws NullPointerException if {@code executor} is {@code null}
     * @throws IllegalStateException if the executor was already set
     */
    public Builder executor(Executor executor) {
      Objects.requireNonNull(executor, "executor");
      requireUnset("executor", this.executor);
      this.executor = executor;
      return this;
    }

    /**
     * Sets how long a participant may take to complete a reclaim request before it is treated as
     * collapsed.
     *
     * @param reclaimTimeout a positive duration
     * @return this builder
     * @throws NullPointerException if {@code reclaimTimeout} is {@code null}
     * @throws IllegalArgumentException if {@code reclaimTimeout} is zero or negative
     * @throws IllegalStateException if the timeout was already set
     */
    public Builder reclaimTimeout(Duration reclaimTimeout) {
      Objects.requireNonNull(reclaimTimeout, "reclaimTimeout");
      requireUnset("reclaimTimeout", this.reclaimTimeout);
      if (reclaimTimeout.isNegative() || reclaimTimeout.isZero()) {
        throw new IllegalArgumentException("reclaimTimeout must be positive, was " + reclaimTimeout);
      }
      this.reclaimTimeout = reclaimTimeout;
      return this;
    }

    /**
     * Selects the provider by name, overriding the system property {@value
     * MemoryQuotaTracker#PROVIDER_PROPERTY}.
     *
     * @param name the {@linkplain MemoryQuotaProvider#name() provider's name}
     * @return this builder
     * @throws NullPointerException if {@code name} is {@code null}
     * @throws IllegalStateException if the provider was already set
     */
    public Builder provider(String name) {
      Objects.requireNonNull(name, "name");
      requireUnset("provider", this.provider);
      requireUnset("provider", this.providerInstance);
      this.provider = name;
      return this;
    }

    /**
     * Uses the given provider instead of discovering one: for tests, and for applications that
     * wire their engine explicitly.
     *
     * @param provider the provider to create the tracker with
     * @return this builder
     * @throws NullPointerException if {@code provider} is {@code null}
     * @throws IllegalStateException if a provider was already set, by name or instance
     */
    public Builder provider(MemoryQuotaProvider provider) {
      Objects.requireNonNull(provider, "provider");
      requireUnset("provider", this.provider);
      requireUnset("provider", this.providerInstance);
      this.providerInstance = provider;
      return this;
    }

    /**
     * Creates the tracker.
     *
     * @return a new, open tracker
     * @throws IllegalStateException if no provider is found, or the requested one is not
     */
    public MemoryQuotaTracker build() {
      QuotaConfig quota = config != null ? config : QuotaConfig.auto();
      if (quota.isUnlimited()) {
        return noop();
      }
      TrackerSettings settings =
          new TrackerSettings(
              quota,
              clock != null ? clock : MemoryClock.system(),
              executor,
              reclaimTimeout != null
                  ? reclaimTimeout
                  : Duration.ofSeconds(DEFAULT_RECLAIM_TIMEOUT_SECONDS));
      if (providerInstance != null) {
        return providerInstance.create(settings);
      }
      String requested = provider != null ? provider : System.getProperty(PROVIDER_PROPERTY);
      return ProviderSelection.load(requested).create(settings);
    }

    private static void requireUnset(String name, Object current) {
      if (current != null) {
        throw new IllegalStateException(name + " was already set to " + current);
      }
    }
  }
}
