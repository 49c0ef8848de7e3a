package dev.memquota.examples;

import dev.memquota.Account;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.QuotaConfig;
import dev.memquota.queue.QueueCollapsedException;
import dev.memquota.queue.TrackedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The quick start with the ready-made participant: one tracker, one account per peer, a {@link
 * TrackedQueue} per peer.
 * The peer that never reads holds the oldest data and is discarded when the quota is passed.
 *
 * <p>Run: {@code mvn -q -pl memquota-examples -am compile exec:java
 * -Dexec.mainClass=dev.memquota.examples.QueueQuickStart}
 */
public final class QueueQuickStart {
  private QueueQuickStart() {}

  /**
   * Runs the quick start.
   *
   * @param args ignored
   * @throws InterruptedException if interrupted while waiting for reclamation
   */
  public static void main(String[] args) throws InterruptedException {
    // 1. One tracker per server: reclaim above 1 MiB, down to 768 KiB.
    try (MemoryQuotaTracker tracker =
        MemoryQuotaTracker.create(
            QuotaConfig.builder().maxBytes(1 << 20).lowWaterBytes(768 << 10).build())) {

      // 2. One account per peer; the peer's queue counts the bytes it buffers.
      Account slowPeer = tracker.newAccount();
      Account fastPeer = tracker.newAccount();
      TrackedQueue<byte[]> slow = TrackedQueue.create(slowPeer, tracker.clock(), b -> b.length);
      TrackedQueue<byte[]> fast = TrackedQueue.create(fastPeer, tracker.clock(), b -> b.length);
      CountDownLatch collapsed = new CountDownLatch(1);
      slow.onCollapse(
          c -> {
            System.out.println("slow peer's queue collapsed: " + c);
            collapsed.countDown();
          });

      // 3. The slow peer never reads: its data gets old. The fast peer's consumer keeps up.
      for (int i = 0; i < 48; i++) {
        slow.put(new byte[16 << 10]); // 768 KiB in all
      }
      Thread.sleep(20);
      for (int i = 0; i < 32; i++) {
        fast.put(new byte[16 << 10]);
        fast.take(); // released as soon as it is sent
      }
      for (int i = 0; i < 20; i++) {
        fast.put(new byte[16 << 10]); // a young backlog of 320 KiB: the total passes 1 MiB
      }

      // 4. Reclamation runs on the tracker's own thread, and so do the collapse listeners: wait
      // for the listener (bounded), not just for the collapse, so that its line comes first.
      collapsed.await(10, TimeUnit.SECONDS);
      try {
        slow.put(new byte[1]);
      } catch (QueueCollapsedException e) {
        System.out.println("enqueue on the slow peer failed: " + e.getMessage());
      }
      System.out.println("fast peer still open: " + !fast.isCollapsed() + ", " + fast);
      System.out.println("tracker: " + tracker.stats());

      // 5. Owners close what they own.
      fast.close();
      fastPeer.close();
      slowPeer.close();
    }
  }
}
