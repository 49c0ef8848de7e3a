package dev.memquota.impl;

import dev.memquota.Account;
import dev.memquota.QuotaConfig;
import dev.memquota.spi.TrackerSettings;
import dev.memquota.testkit.FakeParticipant;
import dev.memquota.testkit.ManualClock;
import dev.memquota.testkit.ManualExecutor;
import java.time.Duration;

/**
 * A white-box harness for the engine's own tests: the testkit's clock, executor and fakes, with
 * the tracker's internal consistency checked after every task it runs.
 */
final class Harness {
  static final long MIB = 1 << 20;

  final ManualClock clock = new ManualClock();
  final ManualExecutor executor = new ManualExecutor();
  final Tracker tracker;

  Harness(long max, long lowWater) {
    this(max, lowWater, Duration.ofSeconds(5));
  }

  Harness(long max, long lowWater, Duration timeout) {
    this(max, lowWater, timeout, System.getLogger("dev.memquota.impl"));
  }

  Harness(long max, long lowWater, Duration timeout, System.Logger log) {
    tracker =
        new Tracker(
            new TrackerSettings(
                QuotaConfig.builder().maxBytes(max).lowWaterBytes(lowWater).build(),
                clock,
                executor,
                timeout),
            log);
  }

  /** A fake in {@code account} holding {@code bytes}, added one millisecond after the last one. */
  FakeParticipant fake(Account account, long bytes) {
    clock.advance(Duration.ofMillis(1));
    return FakeParticipant.register(account, clock).holding(bytes);
  }

  /** Runs queued tasks until none is left, checking consistency after each. */
  void runUntilIdle() {
    for (int steps = 0; executor.runNext(); steps++) {
      tracker.checkConsistency();
      if (steps > 100_000) {
        throw new AssertionError("reclamation does not settle: " + tracker);
      }
    }
  }

  /** Waits until a task arrives (from a timer thread), then runs until idle. */
  void awaitAndRunUntilIdle(Duration max) {
    if (!executor.awaitTask(max)) {
      throw new AssertionError("no task arrived within " + max + ": " + tracker);
    }
    runUntilIdle();
  }
}
