package dev.memquota;

import java.util.Objects;
import java.util.function.Function;

/**
 * {@link MemoryQuotaTracker#noop()}: tracks nothing. Stateless, so one instance serves everyone and
 * {@code close()} changes nothing.
 */
enum NoopTracker implements MemoryQuotaTracker {
  INSTANCE;

  private static final TrackerStats STATS =
      new TrackerStats(0, Long.MAX_VALUE, Long.MAX_VALUE, 0, 0, false, 0, 0, 0, 0);

  @Override
  public Account newAccount() {
    return NoopAccount.INSTANCE;
  }

  @Override
  public Account newAccount(Account parent) {
    Objects.requireNonNull(parent, "parent");
    return NoopAccount.INSTANCE;
  }

  @Override
  public long usedBytes() {
    return 0;
  }

  @Override
  public QuotaConfig config() {
    return QuotaConfig.unlimited();
  }

  /** Accepted and ignored: a no-op tracker stays a no-op tracker. */
  @Override
  public void reconfigure(QuotaConfig config) {
    Objects.requireNonNull(config, "config");
  }

  @Override
  public TrackerStats stats() {
    return STATS;
  }

  @Override
  public MemoryClock clock() {
    return MemoryClock.system();
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "MemoryQuotaTracker.noop()";
  }

  /** The account every no-op tracker hands out. */
  enum NoopAccount implements Account {
    INSTANCE;

    @Override
    public Account newChild() {
      return this;
    }

    @Override
    public void addParent(Account parent) {
      Objects.requireNonNull(parent, "parent");
    }

    @Override
    public Participation register(IsParticipant participant) {
      Objects.requireNonNull(participant, "participant");
      return NoopParticipation.INSTANCE;
    }

    @Override
    public <P extends IsParticipant> P register(
        Function<? super Participation, ? extends P> factory) {
      Objects.requireNonNull(factory, "factory");
      return Objects.requireNonNull(
          factory.apply(NoopParticipation.INSTANCE), "the participant factory returned null");
    }

    @Override
    public boolean isClosed() {
      return false;
    }

    @Override
    public void close() {}
  }

  /** The participation every no-op account hands out. Bad arguments are still rejected. */
  enum NoopParticipation implements Participation {
    INSTANCE;

    @Override
    public void claim(long bytes) {
      requireNonNegative(bytes);
    }

    @Override
    public void release(long bytes) {
      requireNonNegative(bytes);
    }

    @Override
    public void close() {}

    private static void requireNonNegative(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("bytes must be >= 0, was " + bytes);
      }
    }
  }
}
