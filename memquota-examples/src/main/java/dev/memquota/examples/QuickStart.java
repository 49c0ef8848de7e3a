package dev.memquota.examples;

import dev.memquota.Account;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.QuotaConfig;
import java.util.concurrent.TimeUnit;

/**
 * The README's quick start, runnable. The code between the {@code README:} markers, here and in
 * {@link PacketBuffer}, is the code the README shows ({@code ExamplesTest} fails when they drift
 * apart); what follows the usage region only waits for reclamation and prints what happened.
 *
 * <p>Run: {@code mvn -q -pl memquota-examples -am compile exec:java
 * -Dexec.mainClass=dev.memquota.examples.QuickStart}
 */
public final class QuickStart {
  private QuickStart() {}

  /**
   * Runs the quick start and prints which peer was reclaimed.
   *
   * @param args ignored
   * @throws InterruptedException if interrupted while waiting for reclamation
   */
  public static void main(String[] args) throws InterruptedException {
    // README:usage:begin
    QuotaConfig quota = QuotaConfig.builder().maxBytes(64 << 20).build(); // low water: 48 MiB
    try (MemoryQuotaTracker tracker = MemoryQuotaTracker.create(quota)) {
      Account slowPeer = tracker.newAccount(); // one account per connection
      PacketBuffer slow = slowPeer.register(p -> new PacketBuffer(p, tracker.clock()));
      Account fastPeer = tracker.newAccount();
      PacketBuffer fast = fastPeer.register(p -> new PacketBuffer(p, tracker.clock()));

      for (int i = 0; i < 50_000 && slow.add(new byte[1500]); i++) {
        // the slow peer never reads: its oldest packet only gets older
        fast.add(new byte[1500]);
        fast.poll(); // read promptly
      }
      // 75 MB buffered by the slow peer: over the quota, so the tracker's own thread reclaims
      // the account with the oldest data.
      // README:usage:end
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!slowPeer.isClosed() && System.nanoTime() < deadline) {
        Thread.sleep(5); // reclamation runs on the tracker's own thread
      }
      System.out.println("slow peer reclaimed: " + slowPeer.isClosed()
          + "; it can still add: " + slow.add(new byte[1]));
      System.out.println("fast peer reclaimed: " + fastPeer.isClosed()
          + "; it can still add: " + fast.add(new byte[1]));
      System.out.println("tracker: " + tracker.stats());
    }
  }
}
