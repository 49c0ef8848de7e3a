package dev.memquota.testkit;

import dev.memquota.MemoryQuotaTracker;
import dev.memquota.QuotaConfig;
import dev.memquota.spi.TrackerSettings;
import java.time.Duration;

/**
 * Runs the documentation example against the reference engine: the testkit cannot depend on
 * memquota-impl (which depends on the testkit for its own tests), so this is the one line that
 * differs from what a user writes.
 */
class TrackedQueueExampleTest extends TrackedQueueExample {

  @Override
  MemoryQuotaTracker newTracker(QuotaConfig config) {
    return new ReferenceProvider()
        .create(new TrackerSettings(config, clock, executor, Duration.ofSeconds(5)));
  }
}
