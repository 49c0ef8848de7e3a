package dev.memquota;

/**
 * The time source against which data ages are measured.
 *
 * <p>Values are monotonic nanoseconds in the style of {@link System#nanoTime()}: only differences
 * between two readings of the same clock are meaningful. Participants report the age of their
 * oldest data as a reading of the tracker's clock ({@link MemoryQuotaTracker#clock()}).
 *
 * <p>Implementations must be thread-safe, fast and non-blocking, and must never go backwards.
 */
@FunctionalInterface
public interface MemoryClock {

  /**
   * Returns the current time.
   *
   * @return the current reading, in nanoseconds from an arbitrary origin
   */
  long nanoTime();

  /**
   * Returns the clock backed by {@link System#nanoTime()}.
   *
   * @return the system clock; never {@code null}
   */
  static MemoryClock system() {
    return SystemClock.INSTANCE;
  }
}
