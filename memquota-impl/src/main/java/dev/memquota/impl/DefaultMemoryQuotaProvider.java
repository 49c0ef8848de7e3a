package dev.memquota.impl;

import com.google.auto.service.AutoService;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.spi.MemoryQuotaProvider;
import dev.memquota.spi.TrackerSettings;

/** The default engine's entry point for {@link java.util.ServiceLoader}. */
@AutoService(MemoryQuotaProvider.class)
public final class DefaultMemoryQuotaProvider implements MemoryQuotaProvider {

  /** The name users select this engine by. */
  static final String NAME = "default";

  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public DefaultMemoryQuotaProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public MemoryQuotaTracker create(TrackerSettings settings) {
    return new Tracker(settings);
  }
}
