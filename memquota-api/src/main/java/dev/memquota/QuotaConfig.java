package dev.memquota;

import java.util.Objects;

/**
 * The limits a tracker enforces: the maximum and the low-water mark.
 *
 * <p>When the tracker's total exceeds {@link #maxBytes()}, reclamation starts and continues until
 * the total is at or below {@link #lowWaterBytes()} (hysteresis: a cycle that started above the
 * maximum does not stop as soon as it is back under it).
 *
 * <p>Instances are immutable and always valid: the constructor re-checks what the {@link Builder}
 * checked. The rules are
 *
 * <ul>
 *   <li>{@code maxBytes > 0};
 *   <li>{@code lowWaterBytes >= } {@value #MIN_LOW_WATER_BYTES} (ten participation caches, so that
 *       the approximation of the counts cannot dominate);
 *   <li>{@code lowWaterBytes <= 0.98 * maxBytes}, so that a cycle frees a useful amount.
 * </ul>
 *
 * <p>A value given with {@link #unlimited()} disables tracking altogether: {@link
 * MemoryQuotaTracker#create(QuotaConfig)} then returns a {@linkplain MemoryQuotaTracker#noop() no-op
 * tracker}.
 */
public final class QuotaConfig {

  /** The smallest allowed low-water mark: ten times the default engine's 16 KiB cache. */
  public static final long MIN_LOW_WATER_BYTES = 10 * 16 * 1024;

  /** The largest allowed ratio of low water to maximum. */
  static final double MAX_LOW_WATER_RATIO = 0.98;

  private static final long MIB = 1024 * 1024;
  private static final long GIB = 1024 * MIB;
  private static final QuotaConfig UNLIMITED = new QuotaConfig(Long.MAX_VALUE, Long.MAX_VALUE, false, true);

  private final long maxBytes;
  private final long lowWaterBytes;
  private final boolean automatic;
  private final boolean unlimited;

  private QuotaConfig(long maxBytes, long lowWaterBytes, boolean automatic, boolean unlimited) {
    if (!unlimited) {
      validate(maxBytes, lowWaterBytes);
    }
    this.maxBytes = maxBytes;
    this.lowWaterBytes = lowWaterBytes;
    this.automatic = automatic;
    this.unlimited = unlimited;
  }

  /**
   * Returns a new builder.
   *
   * @return a builder with nothing set
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a configuration sized from the JVM's maximum heap ({@link Runtime#maxMemory()}): 40%
   * of it when it is at least 8 GiB, 75% otherwise, clamped to 256 MiB .. 8 GiB and never more than
   * the heap itself; the low-water mark is 75% of that.
   *
   * @return the automatic configuration for this JVM
   */
  public static QuotaConfig auto() {
    return autoForHeap(Runtime.getRuntime().maxMemory());
  }

  /**
   * The automatic configuration for a heap of the given size; {@link #auto()} with the heap made
   * explicit so that the sizing rule can be tested.
   */
  static QuotaConfig autoForHeap(long heapBytes) {
    if (heapBytes <= 0) {
      throw new IllegalArgumentException("heapBytes must be > 0, was " + heapBytes);
    }
    double fraction = heapBytes >= 8 * GIB ? 0.40 : 0.75;
    long max = (long) (heapBytes * fraction);
    max = Math.max(256 * MIB, Math.min(8 * GIB, max));
    max = Math.min(max, heapBytes);
    long lowWater = Math.max(MIN_LOW_WATER_BYTES, defaultLowWater(max));
    return new QuotaConfig(max, lowWater, true, false);
  }

  /**
   * Returns the configuration that disables tracking: a tracker created with it is a {@linkplain
   * MemoryQuotaTracker#noop() no-op tracker}.
   *
   * @return the unlimited configuration
   */
  public static QuotaConfig unlimited() {
    return UNLIMITED;
  }

  /**
   * Returns the maximum.
   *
   * @return the total above which reclamation starts; {@link Long#MAX_VALUE} if {@linkplain
   *     #isUnlimited() unlimited}
   */
  public long maxBytes() {
    return maxBytes;
  }

  /**
   * Returns the low-water mark.
   *
   * @return the total at or below which a reclamation cycle stops; {@link Long#MAX_VALUE} if
   *     {@linkplain #isUnlimited() unlimited}
   */
  public long lowWaterBytes() {
    return lowWaterBytes;
  }

  /**
   * Tells whether this configuration was derived from the heap size by {@link #auto()}.
   *
   * @return {@code true} for an automatic configuration
   */
  public boolean isAutomatic() {
    return automatic;
  }

  /**
   * Tells whether this configuration disables tracking.
   *
   * @return {@code true} only for {@link #unlimited()}
   */
  public boolean isUnlimited() {
    return unlimited;
  }

  private static long defaultLowWater(long maxBytes) {
    return maxBytes / 4 * 3 + (maxBytes % 4) * 3 / 4;
  }

  private static void validate(long maxBytes, long lowWaterBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be > 0, was " + maxBytes);
    }
    if (lowWaterBytes < MIN_LOW_WATER_BYTES) {
      throw new IllegalArgumentException(
          "lowWaterBytes must be >= "
              + MIN_LOW_WATER_BYTES
              + " (ten participation caches), was "
              + lowWaterBytes
              + " (maxBytes "
              + maxBytes
              + ")");
    }
    if (lowWaterBytes > maxBytes * MAX_LOW_WATER_RATIO) {
      throw new IllegalArgumentException(
          "lowWaterBytes must be at most 98% of maxBytes ("
              + maxBytes
              + "), was "
              + lowWaterBytes);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QuotaConfig other
        && maxBytes == other.maxBytes
        && lowWaterBytes == other.lowWaterBytes
        && automatic == other.automatic
        && unlimited == other.unlimited;
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxBytes, lowWaterBytes, automatic, unlimited);
  }

  @Override
  public String toString() {
    if (unlimited) {
      return "QuotaConfig[unlimited]";
    }
    return "QuotaConfig[maxBytes="
        + maxBytes
        + ", lowWaterBytes="
        + lowWaterBytes
        + (automatic ? ", automatic" : "")
        + "]";
  }

  /**
   * Builds a {@link QuotaConfig}. Each setting may be given once; {@link #build()} validates the
   * whole. Not thread-safe.
   */
  public static final class Builder {
    private long maxBytes = -1;
    private long lowWaterBytes = -1;
    private boolean maxSet;
    private boolean lowWaterSet;

    private Builder() {}

    /**
     * Sets the maximum.
     *
     * @param maxBytes the total above which reclamation starts; must be positive
     * @return this builder
     * @throws IllegalArgumentException if {@code maxBytes <= 0}
     * @throws IllegalStateException if the maximum was already set
     */
    public Builder maxBytes(long maxBytes) {
      if (maxSet) {
        throw new IllegalStateException("maxBytes was already set to " + this.maxBytes);
      }
      if (maxBytes <= 0) {
        throw new IllegalArgumentException("maxBytes must be > 0, was " + maxBytes);
      }
      this.maxBytes = maxBytes;
      this.maxSet = true;
      return this;
    }

    /**
     * Sets the low-water mark; without it, the low-water mark is 75% of the maximum.
     *
     * @param lowWaterBytes the total at or below which a reclamation cycle stops
     * @return this builder
     * @throws IllegalArgumentException if {@code lowWaterBytes} is below {@value
     *     QuotaConfig#MIN_LOW_WATER_BYTES}
     * @throws IllegalStateException if the low-water mark was already set
     */
    public Builder lowWaterBytes(long lowWaterBytes) {
      if (lowWaterSet) {
        throw new IllegalStateException("lowWaterBytes was already set to " + this.lowWaterBytes);
      }
      if (lowWaterBytes < MIN_LOW_WATER_BYTES) {
        throw new IllegalArgumentException(
            "lowWaterBytes must be >= " + MIN_LOW_WATER_BYTES + ", was " + lowWaterBytes);
      }
      this.lowWaterBytes = lowWaterBytes;
      this.lowWaterSet = true;
      return this;
    }

    /**
     * Validates the settings and builds the configuration.
     *
     * @return the configuration
     * @throws IllegalStateException if no maximum was set (an explicit low-water mark without a
     *     maximum is rejected as inconsistent with an automatic maximum)
     * @throws IllegalArgumentException if the combination breaks a rule listed on {@link
     *     QuotaConfig}
     */
    public QuotaConfig build() {
      if (!maxSet) {
        throw new IllegalStateException(
            lowWaterSet
                ? "lowWaterBytes ("
                    + lowWaterBytes
                    + ") was set without maxBytes: an explicit low-water mark with an automatic"
                    + " maximum is inconsistent; set maxBytes too"
                : "maxBytes is required; use QuotaConfig.auto() for a maximum derived from the heap");
      }
      long lowWater = lowWaterSet ? lowWaterBytes : defaultLowWater(maxBytes);
      return new QuotaConfig(maxBytes, lowWater, false, false);
    }
  }
}
