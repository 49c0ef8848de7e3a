package dev.memquota.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memquota.Account;
import dev.memquota.AccountClosedException;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.QuotaConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's quick-start, compiled and run; {@link #readmeShowsThisCode} fails when the README
 * drifts from this file, {@link PacketBuffer} or {@link PacketBufferTest}.
 */
class ReadmeQuickStartTest {

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
    String[][] regions = {
      {"participant", "PacketBuffer"}, {"usage", "ReadmeQuickStartTest"}, {"testing", "PacketBufferTest"}
    };
    for (String[] region : regions) {
      String source =
          Files.readString(
              Path.of("src/test/java/dev/memquota/impl/" + region[1] + ".java"),
              StandardCharsets.UTF_8);
      String begin = "// README:" + region[0] + ":begin";
      String end = "// README:" + region[0] + ":end";
      String code = source.substring(source.indexOf(begin) + begin.length(), source.indexOf(end));
      assertTrue(
          readme.contains(normalize(code)),
          "README.md no longer shows the '" + region[0] + "' code of " + region[1]);
    }
  }

  /** Compares code regardless of indentation. */
  private static String normalize(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce("", (a, b) -> a + b + "\n");
  }
}
