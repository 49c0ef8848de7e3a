package dev.memquota.spi;

import dev.memquota.MemoryQuotaTracker;

/**
 * A memquota engine, found through {@link java.util.ServiceLoader}.
 *
 * <p>When several providers are present, the one with the highest {@link #priority()} wins (ties
 * go to the first one found) and the choice is logged; the system property {@value
 * MemoryQuotaTracker#PROVIDER_PROPERTY} or {@link MemoryQuotaTracker.Builder#provider(String)}
 * selects one by {@link #name()}.
 *
 * <p>Implementations must have a public no-argument constructor and be thread-safe.
 */
public interface MemoryQuotaProvider {

  /**
   * Returns the name by which users select this provider.
   *
   * @return a short, stable, non-empty name such as {@code "default"}
   */
  String name();

  /**
   * Returns this provider's priority among several on the path.
   *
   * @return the priority; higher wins; the default engine uses 0
   */
  default int priority() {
    return 0;
  }

  /**
   * Creates a tracker.
   *
   * @param settings the validated settings from the builder; never {@code null}, and never
   *     {@linkplain dev.memquota.QuotaConfig#isUnlimited() unlimited} (the API handles that itself)
   * @return a new, open tracker owned by the caller
   */
  MemoryQuotaTracker create(TrackerSettings settings);
}
