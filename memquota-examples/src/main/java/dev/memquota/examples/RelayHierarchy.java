package dev.memquota.examples;

import dev.memquota.Account;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.QuotaConfig;
import dev.memquota.queue.TrackedQueue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Accounts as a relay uses them: connection, then circuits as children of their connection, then
 * streams as children of their circuit, each with its own tracked queue.
 *
 * <p>Reclamation takes the account holding the oldest data together with all its descendants, and
 * never its ancestors. So reclaiming a connection takes its circuits and streams, while reclaiming a
 * stream takes only that stream. Both scenarios are played on a fresh tracker and print which
 * queues survived.
 *
 * <p>Run: {@code mvn -q -pl memquota-examples -am compile exec:java
 * -Dexec.mainClass=dev.memquota.examples.RelayHierarchy}
 */
public final class RelayHierarchy {
  private static final int KIB = 1024;
  private static final int CHUNK = 16 * KIB;

  private RelayHierarchy() {}

  /** One relay's accounts and queues, in creation order. */
  static final class Relay implements AutoCloseable {
    final MemoryQuotaTracker tracker =
        MemoryQuotaTracker.create(
            QuotaConfig.builder().maxBytes(1024 * KIB).lowWaterBytes(768 * KIB).build());
    // The relay owns its accounts: an account nobody references is closed by the engine.
    final Map<String, Account> accounts = new LinkedHashMap<>();
    final Map<String, TrackedQueue<byte[]>> queues = new LinkedHashMap<>();

    /** Opens a connection with one circuit that carries one stream. */
    void connection(String name) {
      Account connection = open(name, tracker.newAccount());
      Account circuit = open(name + "/circuit", connection.newChild());
      open(name + "/circuit/stream", circuit.newChild());
    }

    private Account open(String name, Account account) {
      accounts.put(name, account);
      queues.put(
          name,
          TrackedQueue.<byte[]>builder(tracker.clock(), b -> b.length).name(name).build(account));
      return account;
    }

    /** Buffers {@code kib} KiB for {@code name} and lets the clock move on. */
    void buffer(String name, int kib) throws InterruptedException {
      for (int put = 0; put < kib * KIB; put += CHUNK) {
        queues.get(name).put(new byte[CHUNK]);
      }
      Thread.sleep(5); // so that the next data is measurably younger
    }

    /** Waits (bounded) until reclamation has run and the tracker is back under its maximum. */
    List<String> survivorsAfterReclamation() throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while ((tracker.usedBytes() > tracker.config().maxBytes() || tracker.stats().reclaiming())
          && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      List<String> survivors = new ArrayList<>();
      queues.forEach((name, queue) -> {
        if (!queue.isCollapsed()) {
          survivors.add(name);
        }
      });
      return survivors;
    }

    @Override
    public void close() {
      tracker.close();
    }
  }

  /**
   * Connection A's own queue holds the oldest data: A goes with its circuit and stream; B stays.
   *
   * @return the names of the queues that survived
   * @throws InterruptedException if interrupted while waiting
   */
  public static List<String> reclaimAConnection() throws InterruptedException {
    return play("A", List.of("A/circuit", "A/circuit/stream", "B", "B/circuit/stream"), "B/circuit");
  }

  /**
   * B's stream holds the oldest data: only that stream goes; its circuit and connection stay.
   *
   * @return the names of the queues that survived
   * @throws InterruptedException if interrupted while waiting
   */
  public static List<String> reclaimAStream() throws InterruptedException {
    return play(
        "B/circuit/stream", List.of("B", "B/circuit", "A", "A/circuit"), "A/circuit/stream");
  }

  /**
   * Opens connections A and B, buffers 400 KiB in {@code oldest} first, then 64 KiB in each of
   * {@code others}, then 400 KiB in {@code last}: 1056 KiB in all, over the 1 MiB maximum.
   */
  private static List<String> play(String oldest, List<String> others, String last)
      throws InterruptedException {
    try (Relay relay = new Relay()) {
      relay.connection("A");
      relay.connection("B");
      relay.buffer(oldest, 400);
      for (String name : others) {
        relay.buffer(name, 64);
      }
      relay.buffer(last, 400);
      return relay.survivorsAfterReclamation();
    }
  }

  /**
   * Runs both scenarios and prints the survivors.
   *
   * @param args ignored
   * @throws InterruptedException if interrupted while waiting for reclamation
   */
  public static void main(String[] args) throws InterruptedException {
    System.out.println("Reclaiming connection A (its own queue is oldest) leaves: " + reclaimAConnection());
    System.out.println("Reclaiming B's stream (the oldest data) leaves:          " + reclaimAStream());
  }
}
