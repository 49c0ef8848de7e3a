package dev.memquota.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memquota.Account;
import dev.memquota.AccountClosedException;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.QuotaConfig;
import dev.memquota.TrackerShutdownException;
import dev.memquota.testkit.Gc;
import dev.memquota.testkit.ManualClock;
import dev.memquota.testkit.ManualExecutor;
import dev.memquota.testkit.Reclamation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The queue as a participant of the real engine, found through the provider SPI. Reclamation runs
 * on a {@link ManualExecutor}, so each test decides when it happens.
 */
class TrackedQueueWithEngineTest {
  private static final int KIB = 1024;
  private static final long MAX = 1024 * KIB;
  private static final long LOW_WATER = 768 * KIB;

  private final ManualClock clock = new ManualClock();
  private final ManualExecutor executor = new ManualExecutor();
  private final MemoryQuotaTracker tracker =
      MemoryQuotaTracker.builder()
          .config(QuotaConfig.builder().maxBytes(MAX).lowWaterBytes(LOW_WATER).build())
          .clock(clock)
          .executor(executor)
          .build();
  // Accounts stay open only while referenced (the engine closes unreachable ones): keep them.
  private final List<Account> accounts = new ArrayList<>();

  @AfterEach
  void closeTracker() {
    tracker.close();
  }

  private Account newAccount() {
    Account account = tracker.newAccount();
    accounts.add(account);
    return account;
  }

  private TrackedQueue<byte[]> queueOn(Account account) {
    return TrackedQueue.create(account, tracker.clock(), b -> b.length);
  }

  private static void fill(TrackedQueue<byte[]> queue, long bytes) {
    for (long put = 0; put < bytes; put += 16 * KIB) {
      queue.put(new byte[16 * KIB]);
    }
  }

  @Test
  void theQueueWithTheOldestDataIsReclaimedAndTheYoungerOneLivesOn() {
    Account attacker = newAccount();
    Account honest = newAccount();
    TrackedQueue<byte[]> old = queueOn(attacker);
    TrackedQueue<byte[]> young = queueOn(honest);
    List<QueueCollapse> collapses = new ArrayList<>();
    old.onCollapse(collapses::add);

    fill(old, 640 * KIB);
    clock.advance(Duration.ofSeconds(10));
    fill(young, 512 * KIB); // passes the maximum: a reclamation task is queued
    assertFalse(old.isCollapsed(), "a claim never reclaims on the claiming thread");

    Reclamation.runToCompletion(tracker, executor);

    assertEquals(1, collapses.size());
    QueueCollapse c = collapses.get(0);
    assertEquals(CollapseReason.RECLAIMED, c.reason());
    assertEquals(640 * KIB, c.droppedBytes());
    assertEquals(40, c.droppedItems());
    assertEquals(ManualClock.START, c.oldestDropped().getAsLong());
    assertTrue(attacker.isClosed());
    assertFalse(young.isCollapsed());
    assertEquals(512 * KIB, young.queuedBytes());
    assertTrue(tracker.usedBytes() <= LOW_WATER);
    QueueCollapsedException e =
        assertThrows(QueueCollapsedException.class, () -> old.put(new byte[1]));
    assertEquals(CollapseReason.RECLAIMED, e.reason());
  }

  @Test
  void aLossyQueueGivesUpItsOldestItemsAndCarriesOn() {
    Account account = newAccount();
    TrackedQueue<byte[]> lossy =
        TrackedQueue.<byte[]>builder(tracker.clock(), b -> b.length).lossy().build(account);
    fill(lossy, 512 * KIB);
    clock.advance(Duration.ofSeconds(1));
    TrackedQueue<byte[]> other = queueOn(newAccount());
    fill(other, 256 * KIB);
    clock.advance(Duration.ofSeconds(1));
    fill(lossy, 384 * KIB); // total 1152 KiB > max

    Reclamation.runToCompletion(tracker, executor);

    assertTrue(tracker.usedBytes() <= LOW_WATER);
    assertFalse(lossy.isCollapsed());
    assertFalse(other.isCollapsed());
    assertFalse(account.isClosed());
    // Only the items older than the other queue's data may go, and no more than needed.
    assertTrue(lossy.discardedBytes() > 0 && lossy.discardedBytes() <= 512 * KIB);
    assertEquals(896 * KIB - lossy.discardedBytes(), lossy.queuedBytes());
    // The engine counts what left the participation, its cache included (at most 16 KiB more).
    long reclaimed = tracker.stats().bytesReclaimed();
    assertTrue(
        reclaimed >= lossy.discardedBytes() && reclaimed <= lossy.discardedBytes() + 16 * KIB,
        reclaimed + " reclaimed, " + lossy.discardedBytes() + " discarded");
  }

  @Test
  void reclaimingAParentAccountCollapsesTheQueuesOfItsChildren() {
    Account connection = newAccount();
    Account stream = connection.newChild();
    accounts.add(stream);
    TrackedQueue<byte[]> connectionQueue = queueOn(connection);
    TrackedQueue<byte[]> streamQueue = queueOn(stream);
    fill(connectionQueue, 512 * KIB);
    clock.advance(Duration.ofSeconds(1));
    fill(streamQueue, 128 * KIB);
    TrackedQueue<byte[]> bystander = queueOn(newAccount());
    fill(bystander, 448 * KIB);

    Reclamation.runToCompletion(tracker, executor);

    assertTrue(connectionQueue.isCollapsed());
    assertTrue(streamQueue.isCollapsed());
    assertFalse(bystander.isCollapsed());
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
  void aQueueThatIsGarbageCollectedReleasesItsMemory() {
    Account account = newAccount();
    fill(queueOn(account), 256 * KIB); // nobody keeps the queue
    Gc.awaitCondition(
        tracker,
        () -> {
          newAccount().close(); // lets the engine notice collected participants
          return tracker.usedBytes() == 0;
        },
        Duration.ofSeconds(10),
        () -> "the collected queue's memory to be released");
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
    assertThrows(AccountClosedException.class, () -> queueOn(account));
  }
}
