package dev.memquota.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memquota.Account;
import dev.memquota.AccountClosedException;
import dev.memquota.IsParticipant;
import dev.memquota.MemoryClock;
import dev.memquota.MemoryQuotaException;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.Participation;
import dev.memquota.QuotaConfig;
import dev.memquota.ReclaimRequest;
import dev.memquota.Reclaimed;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's quick-start, compiled and run; {@link #readmeShowsThisCode} fails when the README
 * and this file drift apart.
 */
class ReadmeQuickStartTest {

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

  @Test
  void quickStartRuns() throws Exception {
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
        Thread.sleep(5);
      }
      assertTrue(slowPeer.isClosed(), tracker.stats().toString());
      assertFalse(fastPeer.isClosed(), "the prompt reader keeps its connection");
      assertFalse(slow.add(new byte[1]));
      assertTrue(
          assertThrows(AccountClosedException.class, slowPeer::newChild).reclaimed(),
          "the account reports that it was reclaimed");
      assertTrue(tracker.usedBytes() <= quota.lowWaterBytes());
      fast.add(new byte[100]);
      assertEquals(100, fast.poll().length);
    }
  }

  @Test
  void readmeShowsThisCode() throws Exception {
    String readme = normalize(Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8));
    String source =
        Files.readString(
            Path.of("src/test/java/dev/memquota/impl/ReadmeQuickStartTest.java"),
            StandardCharsets.UTF_8);
    for (String region : new String[] {"participant", "usage"}) {
      String begin = "// README:" + region + ":begin";
      String end = "// README:" + region + ":end";
      String code = source.substring(source.indexOf(begin) + begin.length(), source.indexOf(end));
      assertTrue(
          readme.contains(normalize(code)),
          "README.md no longer shows the '" + region + "' code of ReadmeQuickStartTest");
    }
  }

  /** Compares code regardless of indentation. */
  private static String normalize(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce("", (a, b) -> a + b + "\n");
  }
}
