package dev.memquota.impl;

import dev.memquota.IsParticipant;
import dev.memquota.Participation;
import dev.memquota.QuotaConfig;
import dev.memquota.ReclaimRequest;
import dev.memquota.Reclaimed;
import dev.memquota.spi.TrackerSettings;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A white-box harness for the engine's own tests: a tracker on a hand-driven clock and executor,
 * checked for consistency after every step it runs.
 */
final class Harness {
  static final long MIB = 1 << 20;

  final AtomicLong now = new AtomicLong(3_600_000_000_000L);
  final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
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
                now::get,
                this::enqueue,
                timeout),
            log);
  }

  private synchronized void enqueue(Runnable r) {
    tasks.add(r);
    notifyAll();
  }

  /** Runs queued tasks until none is left, checking consistency after each. */
  void runUntilIdle() {
    for (int steps = 0; ; steps++) {
      Runnable r;
      synchronized (this) {
        r = tasks.poll();
      }
      if (r == null) {
        return;
      }
      if (steps > 100_000) {
        throw new AssertionError("reclamation does not settle");
      }
      r.run();
      tracker.checkConsistency();
    }
  }

  /** Waits until a task arrives (from a timer thread), then runs until idle. */
  void awaitAndRunUntilIdle(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    synchronized (this) {
      while (tasks.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no task arrived within " + max);
        }
        wait(Math.max(1, left / 1_000_000));
      }
    }
    runUntilIdle();
  }

  long tick() {
    return now.addAndGet(1_000_000);
  }

  /** A participant holding chunks of data, each stamped with the clock at claim time. */
  final class Chunks implements IsParticipant {
    final Participation participation;
    private final ArrayDeque<long[]> chunks = new ArrayDeque<>(); // {time, bytes}
    final List<ReclaimRequest> requests = new ArrayList<>();
    volatile boolean partial;
    /** Answers PARTIAL without releasing anything. */
    volatile boolean refuse;
    volatile boolean collapsed;

    Chunks(dev.memquota.Account account) {
      participation = account.register(this);
    }

    synchronized Chunks add(long bytes) {
      participation.claim(bytes);
      chunks.add(new long[] {tick(), bytes});
      return this;
    }

    synchronized long held() {
      return chunks.stream().mapToLong(c -> c[1]).sum();
    }

    @Override
    public synchronized OptionalLong oldestData() {
      return chunks.isEmpty() ? OptionalLong.empty() : OptionalLong.of(chunks.peek()[0]);
    }

    @Override
    public synchronized CompletionStage<Reclaimed> reclaim(ReclaimRequest request) {
      requests.add(request);
      if (refuse) {
        return CompletableFuture.completedFuture(Reclaimed.PARTIAL);
      }
      if (!partial) {
        collapsed = true;
        chunks.clear();
        return CompletableFuture.completedFuture(Reclaimed.COLLAPSING);
      }
      long freed = 0;
      while (!chunks.isEmpty()
          && chunks.peek()[0] <= request.discardUpTo()
          && freed < request.bytesWanted()) {
        long[] c = chunks.poll();
        participation.release(c[1]);
        freed += c[1];
      }
      return CompletableFuture.completedFuture(Reclaimed.PARTIAL);
    }
  }
}
