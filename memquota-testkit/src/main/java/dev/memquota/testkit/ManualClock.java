package dev.memquota.testkit;

import dev.memquota.MemoryClock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link MemoryClock} whose time moves only when the test says so.
 *
 * <p>It starts at {@link #START} (one hour of nanoseconds), well away from zero, so that "no data"
 * and "data from time zero" never blur. Thread-safe.
 */
public final class ManualClock implements MemoryClock {

  /** The reading of a new clock: one hour, in nanoseconds. */
  public static final long START = Duration.ofHours(1).toNanos();

  private final AtomicLong now = new AtomicLong(START);

  /** Creates a clock reading {@link #START}. */
  public ManualClock() {}

  @Override
  public long nanoTime() {
    return now.get();
  }

  /**
   * Moves the clock forward.
   *
   * @param amount how far; zero or positive
   * @return the new reading
   * @throws IllegalArgumentException if {@code amount} is negative (clocks never go back)
   */
  public long advance(Duration amount) {
    Objects.requireNonNull(amount, "amount");
    return advanceNanos(amount.toNanos());
  }

  /**
   * Moves the clock forward.
   *
   * @param nanos how far, in nanoseconds; zero or positive
   * @return the new reading
   * @throws IllegalArgumentException if {@code nanos} is negative (clocks never go back)
   */
  public long advanceNanos(long nanos) {
    if (nanos < 0) {
      throw new IllegalArgumentException("a clock never goes back; nanos was " + nanos);
    }
    return now.addAndGet(nanos);
  }

  @Override
  public String toString() {
    return "ManualClock[" + now.get() + " ns]";
  }
}
