package dev.memquota.examples;

import dev.memquota.Account;
import dev.memquota.IsParticipant;
import dev.memquota.MemoryClock;
import dev.memquota.MemoryQuotaException;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.Participation;
import dev.memquota.QuotaConfig;
import dev.memquota.ReclaimRequest;
import dev.memquota.Reclaimed;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The README's quick start, runnable. The code between the {@code README:} markers is the code the
 * README shows ({@code ExamplesTest} fails when they drift apart); what follows the usage region
 * only waits for reclamation and prints what happened.
 *
 * <p>Run: {@code mvn -q -pl memquota-examples -am compile exec:java
 * -Dexec.mainClass=dev.memquota.examples.QuickStart}
 */
public final class QuickStart {
  private QuickStart() {}

  // README:participant:begin
  /** A per-connection buffer of packets whose memory the tracker may reclaim. */
  static final class PacketBuffer implements IsParticipant {
    private record Packet(byte[] data, long addedAt) {}

    private final Participation participation;
    private final MemoryClock clock;
    private final Deque<Packet> packets = new ArrayDeque<>();

    PacketBuffer(Participation participation, MemoryClock clock) {
      this.participation = participation;
      this.clock = clock;
    }

    /** Returns false once the tracker has reclaimed this buffer: drop the connection then. */
    synchronized boolean add(byte[] data) {
      try {
        participation.claim(data.length);
      } catch (MemoryQuotaException reclaimed) {
        return false;
      }
      packets.add(new Packet(data, clock.nanoTime()));
      return true;
    }

    synchronized byte[] poll() {
      Packet p = packets.poll();
      if (p == null) {
        return null;
      }
      participation.release(p.data().length);
      return p.data();
    }

    @Override
    public synchronized OptionalLong oldestData() {
      Packet p = packets.peek();
      return p == null ? OptionalLong.empty() : OptionalLong.of(p.addedAt());
    }

    @Override
    public synchronized CompletionStage<Reclaimed> reclaim(ReclaimRequest request) {
      packets.clear(); // this peer holds the oldest data: drop it all
      return CompletableFuture.completedFuture(Reclaimed.COLLAPSING);
    }
  }
  // README:participant:end

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
