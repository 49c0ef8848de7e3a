package dev.memquota.examples;

import dev.memquota.IsParticipant;
import dev.memquota.MemoryClock;
import dev.memquota.MemoryQuotaException;
import dev.memquota.Participation;
import dev.memquota.ReclaimRequest;
import dev.memquota.Reclaimed;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

// The README's participant, verbatim between the markers; used by QuickStart.
// README:participant:begin
/** A per-connection buffer of packets whose memory the tracker may reclaim. */
final class PacketBuffer implements IsParticipant {
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
