package dev.memquota.impl;

import dev.memquota.Account;
import dev.memquota.MemoryClock;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.QuotaConfig;
import dev.memquota.TrackerStats;
import dev.memquota.spi.TrackerSettings;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default engine's tracker: wires the {@link Ledger} (byte counts), the {@link Registry}
 * (accounts and participations) and the {@link Reclaimer} (cycles), and owns the default executor.
 */
final class Tracker implements MemoryQuotaTracker {
  private static final AtomicLong TRACKER_IDS = new AtomicLong();

  private final String name;
  private final MemoryClock clock;
  final Registry registry;
  final Reclaimer reclaimer;
  private final ThreadPoolExecutor ownExecutor;

  Tracker(TrackerSettings settings) {
    this(settings, System.getLogger("dev.memquota.impl"));
  }

  /** With the logger made explicit, so that tests can read what the engine logs. */
  Tracker(TrackerSettings settings, System.Logger log) {
    this.name = "memquota tracker #" + TRACKER_IDS.incrementAndGet();
    this.clock = settings.clock();
    Ledger ledger = new Ledger(settings.config(), this::wakeReclaimer);
    this.registry = new Registry(ledger, name);
    this.ownExecutor = settings.executor().isPresent() ? null : newDefaultExecutor(name);
    Executor executor = settings.executor().orElse(ownExecutor);
    this.reclaimer = new Reclaimer(registry, executor, clock, settings.reclaimTimeout(), log);
  }

  /**
   * One daemon thread per tracker that ends when idle, so that an abandoned tracker does not keep a
   * thread (and through it the tracker) alive.
   */
  private static ThreadPoolExecutor newDefaultExecutor(String trackerName) {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            1,
            1,
            10,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, trackerName + " reclaimer");
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private void wakeReclaimer() {
    reclaimer.wake();
  }

  @Override
  public Account newAccount() {
    return new AccountHandle(registry, registry.newAccount(null));
  }

  @Override
  public Account newAccount(Account parent) {
    return AccountHandle.of(registry, parent, "newAccount").newChild();
  }

  @Override
  public long usedBytes() {
    return registry.ledger.total();
  }

  @Override
  public QuotaConfig config() {
    return registry.ledger.config();
  }

  @Override
  public void reconfigure(QuotaConfig config) {
    Objects.requireNonNull(config, "config");
    if (config.isUnlimited()) {
      throw new IllegalArgumentException(
          "reconfigure: tracking cannot be switched off on a live tracker: " + config);
    }
    registry.checkOpen();
    registry.ledger.setConfig(config);
    if (registry.ledger.overMax()) {
      reclaimer.wake();
    }
  }

  @Override
  public TrackerStats stats() {
    QuotaConfig cfg = registry.ledger.config();
    Counters c = reclaimer.counters;
    return new TrackerStats(
        registry.ledger.total(),
        cfg.maxBytes(),
        cfg.lowWaterBytes(),
        registry.accountCount(),
        registry.participantCount(),
        reclaimer.isReclaiming(),
        c.cycles.get(),
        c.accountsReclaimed.get(),
        c.participantsCollapsed.get(),
        c.bytesReclaimed.get());
  }

  @Override
  public MemoryClock clock() {
    return clock;
  }

  @Override
  public void close() {
    registry.shutdown();
    if (ownExecutor != null) {
      ownExecutor.shutdown();
    }
  }

  /** For the engine's own tests; see {@link Registry#checkConsistency()}. */
  void checkConsistency() {
    registry.checkConsistency();
  }

  @Override
  public String toString() {
    return name + " " + stats();
  }
}
