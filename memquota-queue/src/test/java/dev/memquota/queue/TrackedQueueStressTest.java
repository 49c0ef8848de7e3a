package dev.memquota.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memquota.Account;
import dev.memquota.MemoryClock;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.QuotaConfig;
import dev.memquota.ReclaimRequest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import dev.memquota.testkit.Reclamation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Randomized stress with invariant checks: concurrent producers, consumers and collapses; nothing
 * is lost or duplicated, and the claimed bytes match the queued items at quiescence. Every failure
 * message names the seed.
 */
class TrackedQueueStressTest {
  private static final int PRODUCERS = 4;
  private static final int PER_PRODUCER = 2_000;
  private static final int TOTAL = PRODUCERS * PER_PRODUCER;
  private static final long BOUND_SECONDS = 60;

  /** An item: who made it, its sequence number, what it costs. */
  record Item(int id, int cost) {}

  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(BOUND_SECONDS, TimeUnit.SECONDS));
  }

  private static int costOf(long seed, int id) {
    return new SplittableRandom(seed ^ id).nextInt(0, 2_000);
  }

  /** Starts the producers; each puts its items until done or the queue collapses. */
  private List<Future<Integer>> startProducers(
      TrackedQueue<Item> queue, long seed, CountDownLatch start, AtomicLong putBytes) {
    List<Future<Integer>> producers = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      int first = p * PER_PRODUCER;
      producers.add(
          pool.submit(
              () -> {
                start.await();
                int put = 0;
                try {
                  for (int i = first; i < first + PER_PRODUCER; i++) {
                    Item item = new Item(i, costOf(seed, i));
                    queue.put(item);
                    putBytes.addAndGet(item.cost());
                    put++;
                  }
                } catch (QueueCollapsedException expected) {
                  // the queue went away under us: stop producing
                }
                return put;
              }));
    }
    return producers;
  }

  /** Records each id once; returns false if an id was seen before. */
  private static boolean record(BitSet seen, Item item) {
    synchronized (seen) {
      boolean fresh = !seen.get(item.id());
      seen.set(item.id());
      return fresh;
    }
  }

  @Test
  void concurrentProducersAndConsumersLoseAndDuplicateNothing() throws Exception {
    for (long seed = 1; seed <= 10; seed++) {
      FakeAccount account = new FakeAccount();
      TrackedQueue<Item> queue =
          TrackedQueue.create(account, MemoryClock.system(), Item::cost);
      CountDownLatch start = new CountDownLatch(1);
      AtomicLong putBytes = new AtomicLong();
      BitSet seen = new BitSet(TOTAL);
      AtomicBoolean duplicate = new AtomicBoolean();
      AtomicLong takenBytes = new AtomicLong();
      List<Future<Integer>> producers = startProducers(queue, seed, start, putBytes);
      // One consumer takes about half while the producers run; per-producer order must hold.
      Future<?> consumer =
          pool.submit(
              () -> {
                start.await();
                int[] lastOf = new int[PRODUCERS];
                java.util.Arrays.fill(lastOf, -1);
                for (int n = 0; n < TOTAL / 2; n++) {
                  Item item = queue.poll(BOUND_SECONDS, TimeUnit.SECONDS);
                  int producer = item.id() / PER_PRODUCER;
                  if (item.id() <= lastOf[producer] || !record(seen, item)) {
                    duplicate.set(true);
                  }
                  lastOf[producer] = item.id();
                  takenBytes.addAndGet(item.cost());
                }
                return null;
              });
      start.countDown();
      for (Future<Integer> p : producers) {
        assertEquals(PER_PRODUCER, p.get(BOUND_SECONDS, TimeUnit.SECONDS), "seed " + seed);
      }
      consumer.get(BOUND_SECONDS, TimeUnit.SECONDS);

      // Quiescent: what is claimed is exactly what is queued.
      long queued = putBytes.get() - takenBytes.get();
      assertEquals(queued, queue.queuedBytes(), "seed " + seed);
      assertEquals(queued, account.participation.held.get(), "seed " + seed);
      assertEquals(TOTAL / 2, queue.size(), "seed " + seed);

      List<Item> rest = new ArrayList<>();
      queue.drainTo(rest);
      for (Item item : rest) {
        if (!record(seen, item)) {
          duplicate.set(true);
        }
      }
      assertTrue(!duplicate.get(), "an item was seen twice or out of order; seed " + seed);
      assertEquals(TOTAL, seen.cardinality(), "an item was lost; seed " + seed);
      assertEquals(0, account.participation.held.get(), "seed " + seed);
    }
  }

  @Test
  void aCollapseDuringTrafficAccountsForEveryItem() throws Exception {
    for (long seed = 1; seed <= 10; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      FakeAccount account = new FakeAccount();
      TrackedQueue<Item> queue = TrackedQueue.create(account, MemoryClock.system(), Item::cost);
      CountDownLatch start = new CountDownLatch(1);
      ConcurrentLinkedQueue<Item> taken = new ConcurrentLinkedQueue<>();
      List<Future<Integer>> producers = startProducers(queue, seed, start, new AtomicLong());
      List<Future<?>> consumers = new ArrayList<>();
      for (int c = 0; c < 2; c++) {
        consumers.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    while (true) {
                      Item item = queue.poll(BOUND_SECONDS, TimeUnit.SECONDS);
                      if (item == null) {
                        return null;
                      }
                      taken.add(item);
                    }
                  } catch (QueueCollapsedException expected) {
                    return null; // collapsed: waiting consumers are woken up
                  }
                }));
      }
      boolean reclaim = random.nextBoolean();
      int after = random.nextInt(TOTAL / 2);
      start.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
      while (taken.size() < after) {
        assertTrue(System.nanoTime() < deadline, "consumers stalled; seed " + seed);
        Thread.onSpinWait();
      }
      if (reclaim) {
        queue.reclaim(new ReclaimRequest(Long.MAX_VALUE, Long.MAX_VALUE));
      } else {
        queue.close();
      }
      int put = 0;
      for (Future<Integer> p : producers) {
        put += p.get(BOUND_SECONDS, TimeUnit.SECONDS);
      }
      for (Future<?> c : consumers) {
        c.get(BOUND_SECONDS, TimeUnit.SECONDS);
      }
      QueueCollapse collapse = queue.collapse().orElseThrow();
      assertEquals(
          reclaim ? CollapseReason.RECLAIMED : CollapseReason.CLOSED, collapse.reason(), "seed " + seed);
      assertEquals(put, taken.size() + collapse.droppedItems(), "seed " + seed);
      BitSet seen = new BitSet(TOTAL);
      for (Item item : taken) {
        assertTrue(record(seen, item), "duplicate; seed " + seed);
      }
      assertEquals(0, account.participation.held.get(), "seed " + seed);
      assertEquals(0, queue.size(), "seed " + seed);
    }
  }

  @Test
  void partialReclaimsDuringTrafficAccountForEveryItem() throws Exception {
    for (long seed = 1; seed <= 10; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      FakeAccount account = new FakeAccount();
      MemoryClock clock = MemoryClock.system();
      TrackedQueue<Item> queue =
          TrackedQueue.<Item>builder(clock, Item::cost).lossy().build(account);
      CountDownLatch start = new CountDownLatch(1);
      AtomicLong putBytes = new AtomicLong();
      AtomicLong takenBytes = new AtomicLong();
      AtomicLong takenItems = new AtomicLong();
      List<Future<Integer>> producers = startProducers(queue, seed, start, putBytes);
      Future<?> consumer =
          pool.submit(
              () -> {
                start.await();
                try {
                  Item item;
                  while ((item = queue.poll(100, TimeUnit.MILLISECONDS)) != null) {
                    takenItems.incrementAndGet();
                    takenBytes.addAndGet(item.cost());
                  }
                } catch (QueueCollapsedException expected) {
                  // a reclaim that found nothing old enough collapsed it
                }
                return null;
              });
      start.countDown();
      for (int r = 0; r < 200; r++) {
        queue.reclaim(new ReclaimRequest(clock.nanoTime(), random.nextLong(1, 20_000)));
      }
      int put = 0;
      for (Future<Integer> p : producers) {
        put += p.get(BOUND_SECONDS, TimeUnit.SECONDS);
      }
      consumer.get(BOUND_SECONDS, TimeUnit.SECONDS);
      long dropped = queue.collapse().map(QueueCollapse::droppedItems).orElse(0L);
      assertEquals(
          put,
          takenItems.get() + queue.discardedItems() + dropped + queue.size(),
          "seed " + seed);
      assertEquals(queue.queuedBytes(), account.participation.held.get(), "seed " + seed);
      if (!queue.isCollapsed()) {
        assertEquals(
            putBytes.get() - takenBytes.get() - queue.discardedBytes(),
            queue.queuedBytes(),
            "seed " + seed);
      }
    }
  }

  @Test
  void onTheEngineTheTrackersTotalCoversTheQueuedBytesWithinOneCacheEach() throws Exception {
    try (MemoryQuotaTracker tracker =
        MemoryQuotaTracker.create(QuotaConfig.builder().maxBytes(1L << 30).build())) {
      List<TrackedQueue<Item>> queues = new ArrayList<>();
      List<Account> accounts = new ArrayList<>(); // referenced, so that they stay open
      for (int q = 0; q < 3; q++) {
        accounts.add(tracker.newAccount());
        queues.add(TrackedQueue.create(accounts.get(q), tracker.clock(), Item::cost));
      }
      for (long seed = 1; seed <= 5; seed++) {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> all = new ArrayList<>();
        for (TrackedQueue<Item> queue : queues) {
          all.addAll(startProducers(queue, seed, start, new AtomicLong()));
          all.add(
              pool.submit(
                  () -> {
                    start.await();
                    for (int n = 0; n < TOTAL / 3; n++) {
                      queue.take();
                    }
                    return 0;
                  }));
        }
        start.countDown();
        for (Future<Integer> f : all) {
          f.get(BOUND_SECONDS, TimeUnit.SECONDS);
        }
        long queued = queues.stream().mapToLong(TrackedQueue::queuedBytes).sum();
        long used = tracker.usedBytes();
        assertTrue(used >= queued, "seed " + seed + ": used " + used + " < queued " + queued);
        assertTrue(
            used <= queued + queues.size() * 16 * 1024L,
            "seed " + seed + ": used " + used + " queued " + queued);
      }
      queues.forEach(TrackedQueue::close);
      assertEquals(0, tracker.usedBytes());
    }
  }

  @Test
  void underRealReclamationEveryItemIsAccountedForAndTheTotalsAgree() throws Exception {
    for (long seed = 1; seed <= 3; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      try (MemoryQuotaTracker tracker =
          MemoryQuotaTracker.create(
              QuotaConfig.builder().maxBytes(1 << 20).lowWaterBytes(768 << 10).build())) {
        List<Account> accounts = new ArrayList<>();
        List<TrackedQueue<Item>> queues = new ArrayList<>();
        for (int q = 0; q < PRODUCERS; q++) {
          accounts.add(tracker.newAccount());
          TrackedQueue.Builder<Item> b = TrackedQueue.builder(tracker.clock(), Item::cost);
          queues.add((random.nextBoolean() ? b.lossy() : b).build(accounts.get(q)));
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> producers = new ArrayList<>();
        List<Future<Long>> consumers = new ArrayList<>();
        AtomicLong put = new AtomicLong();
        for (TrackedQueue<Item> queue : queues) {
          producers.addAll(startProducers(queue, seed, start, new AtomicLong()));
          // A slow consumer: takes every other poll, so queues grow and get reclaimed.
          consumers.add(
              pool.submit(
                  () -> {
                    start.await();
                    long taken = 0;
                    try {
                      while (queue.poll(50, TimeUnit.MILLISECONDS) != null) {
                        taken++;
                        Thread.yield();
                      }
                    } catch (QueueCollapsedException reclaimed) {
                      // reclaimed while we were reading
                    }
                    return taken;
                  }));
        }
        start.countDown();
        for (Future<Integer> p : producers) {
          put.addAndGet(p.get(BOUND_SECONDS, TimeUnit.SECONDS));
        }
        long taken = 0;
        for (Future<Long> c : consumers) {
          taken += c.get(BOUND_SECONDS, TimeUnit.SECONDS);
        }
        Reclamation.awaitSettled(tracker, java.time.Duration.ofSeconds(BOUND_SECONDS));

        long discarded = 0;
        long dropped = 0;
        long remaining = 0;
        long queued = 0;
        int open = 0;
        for (TrackedQueue<Item> queue : queues) {
          discarded += queue.discardedItems();
          dropped += queue.collapse().map(QueueCollapse::droppedItems).orElse(0L);
          remaining += queue.size();
          queued += queue.queuedBytes();
          open += queue.isCollapsed() ? 0 : 1;
        }
        assertTrue(tracker.stats().reclamationCycles() > 0, "no reclamation: " + tracker.stats());
        assertTrue(discarded + dropped > 0, "seed " + seed + ": nothing was reclaimed");
        assertEquals(put.get(), taken + discarded + dropped + remaining, "seed " + seed);
        long used = tracker.usedBytes();
        assertTrue(
            used >= queued && used <= queued + open * 16 * 1024L,
            "seed " + seed + ": used " + used + ", queued " + queued + ", open " + open);
      }
    }
  }
}
