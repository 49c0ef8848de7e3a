package dev.memquota.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memquota.Account;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.QuotaConfig;
import dev.memquota.TrackerShutdownException;
import dev.memquota.testkit.ManualClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The queue as a participant of the real engine, found through the provider SPI. */
class TrackedQueueWithEngineTest {
  private static final int KIB = 1024;
  private static final long MAX = 1024 * KIB;
  private static final long LOW_WATER = 768 * KIB;

  private final ManualClock clock = new ManualClock();
  private final MemoryQuotaTracker tracker =
      MemoryQuotaTracker.builder()
          .config(QuotaConfig.builder().maxBytes(MAX).lowWaterBytes(LOW_WATER).build())
          .clock(clock)
          .build();

  @AfterEach
  void closeTracker() {
    tracker.close();
  }

  // Accounts stay open only while referenced (the engine closes unreachable ones): keep them.
  private final java.util.List<Account> accounts = new java.util.ArrayList<>();

  private Account newAccount() {
    Account account = tracker.newAccount();
    accounts.add(account);
    return account;
  }

  private TrackedQueue<byte[]> queueOn(Account account) {
    return TrackedQueue.create(account, tracker.clock(), b -> b.length);
  }

  private static CompletableFuture<QueueCollapse> collapseOf(TrackedQueue<?> queue) {
    CompletableFuture<QueueCollapse> f = new CompletableFuture<>();
    queue.onCollapse(f::complete);
    return f;
  }

  private static void fill(TrackedQueue<byte[]> queue, long bytes) {
    for (long put = 0; put < bytes; put += 16 * KIB) {
      queue.put(new byte[16 * KIB]);
    }
  }

  @Test
  void theQueueWithTheOldestDataIsReclaimedAndTheYoungerOneLivesOn() throws Exception {
    Account attacker = newAccount();
    Account honest = newAccount();
    TrackedQueue<byte[]> old = queueOn(attacker);
    TrackedQueue<byte[]> young = queueOn(honest);
    CompletableFuture<QueueCollapse> oldCollapse = collapseOf(old);

    fill(old, 640 * KIB);
    clock.advance(Duration.ofSeconds(10));
    fill(young, 512 * KIB); // passes the maximum: reclamation starts on the tracker's thread

    QueueCollapse c = oldCollapse.get(10, TimeUnit.SECONDS);
    assertEquals(CollapseReason.RECLAIMED, c.reason());
    assertEquals(640 * KIB, c.droppedBytes());
    assertEquals(ManualClock.START, c.oldestDropped().getAsLong());
    awaitUsedAtMost(LOW_WATER); // the cycle closes the account after the queue has answered
    assertTrue(attacker.isClosed());
    assertFalse(young.isCollapsed());
    assertEquals(512 * KIB, young.queuedBytes());
    QueueCollapsedException e =
        assertThrows(QueueCollapsedException.class, () -> old.put(new byte[1]));
    assertEquals(CollapseReason.RECLAIMED, e.reason());
  }

  @Test
  void aLossyQueueGivesUpItsOldestItemsAndCarriesOn() throws Exception {
    Account account = newAccount();
    TrackedQueue<byte[]> lossy =
        TrackedQueue.<byte[]>builder(tracker.clock(), b -> b.length).lossy().build(account);
    fill(lossy, 512 * KIB);
    clock.advance(Duration.ofSeconds(1));
    TrackedQueue<byte[]> other = queueOn(newAccount());
    fill(other, 256 * KIB);
    clock.advance(Duration.ofSeconds(1));
    fill(lossy, 384 * KIB); // total 1152 KiB > max

    awaitUsedAtMost(LOW_WATER);
    assertFalse(lossy.isCollapsed());
    assertFalse(other.isCollapsed());
    assertFalse(account.isClosed());
    assertTrue(lossy.discardedBytes() > 0);
    assertEquals(896 * KIB - lossy.discardedBytes(), lossy.queuedBytes());
    assertTrue(tracker.stats().bytesReclaimed() >= lossy.discardedBytes());
  }

  @Test
  void closingTheQueueReleasesItsMemory() {
    TrackedQueue<byte[]> queue = queueOn(newAccount());
    fill(queue, 256 * KIB);
    assertTrue(tracker.usedBytes() >= 256 * KIB);
    queue.close();
    assertEquals(0, tracker.usedBytes());
  }

  @Test
  void aClosedAccountDetachesTheQueueOnItsNextEnqueue() {
    Account account = newAccount();
    TrackedQueue<byte[]> queue = queueOn(account);
    queue.put(new byte[100]);
    account.close();
    QueueCollapsedException e =
        assertThrows(QueueCollapsedException.class, () -> queue.put(new byte[1]));
    assertEquals(CollapseReason.DETACHED, e.reason());
    assertEquals(1, queue.collapse().orElseThrow().droppedItems());
  }

  @Test
  void aClosedTrackerDetachesTheQueue() {
    TrackedQueue<byte[]> queue = queueOn(newAccount());
    tracker.close();
    QueueCollapsedException e =
        assertThrows(QueueCollapsedException.class, () -> queue.put(new byte[1]));
    assertEquals(CollapseReason.DETACHED, e.reason());
    assertTrue(e.getCause() instanceof TrackerShutdownException, String.valueOf(e.getCause()));
  }

  @Test
  void creatingAQueueOnAClosedAccountFailsWithTheApisException() {
    Account account = newAccount();
    account.close();
    assertThrows(dev.memquota.AccountClosedException.class, () -> queueOn(account));
  }

  private void awaitUsedAtMost(long bytes) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (tracker.usedBytes() > bytes || tracker.stats().reclaiming()) {
      assertTrue(System.nanoTime() < deadline, "still " + tracker.stats());
      Thread.sleep(5);
    }
  }
}
