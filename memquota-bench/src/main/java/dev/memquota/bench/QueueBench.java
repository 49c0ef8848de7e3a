package dev.memquota.bench;

import dev.memquota.Account;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.queue.TrackedQueue;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * B6: items moved from one producer thread to one consumer thread through a {@link TrackedQueue},
 * against the untracked queue it is built on: an {@link ArrayDeque} under a {@link ReentrantLock}
 * with a "not empty" condition, exactly the queue's own structure without the accounting.
 *
 * <p>The figure is the time per item that reached the consumer (an offer plus a poll that found
 * it): JMH's group time per operation is misleading here, because a poll that finds the queue
 * empty is cheap. So the consumer counts the items it received ({@link Received}, reported as a
 * rate), and the report inverts that rate. The producer keeps at most {@link #BACKLOG} items
 * queued, so that memory stays bounded whichever side is faster. The {@code *OneThread} pair,
 * for information, offers and polls on one thread: the cost per item without contention.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class QueueBench {
  static final int BACKLOG = 1024;
  static final long COST = 1500; // a packet
  private static final byte[] ITEM = new byte[0];

  /** A tracked queue in its own account and tracker, and the untracked queue to compare with. */
  static class Pair {
    MemoryQuotaTracker tracker;
    Account account;
    TrackedQueue<byte[]> tracked;
    final Untracked<byte[]> untracked = new Untracked<>();

    void open() {
      tracker = Fixtures.trackerThatNeverReclaims();
      account = tracker.newAccount();
      tracked = TrackedQueue.create(account, tracker.clock(), b -> COST);
    }

    void close() {
      tracked.close();
      account.close();
      tracker.close();
    }
  }

  /** The queues and the producer's view of the backlog, shared by the two threads of a group. */
  @State(Scope.Group)
  public static class Queues extends Pair {
    // Written by the consumer only, read by the producer.
    volatile long received;
    // The producer's own.
    long sent;

    @Setup(Level.Trial)
    public void setUp() {
      open();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      close();
    }

    // Each fork runs one group only, so the branch on `tracked` always goes the same way. A side
    // that cannot proceed yields: on a machine with more threads than free cores, spinning would
    // burn the time slice that the other side needs.
    void produce(boolean viaTracked) {
      if (sent - received >= BACKLOG) {
        Thread.yield();
        return;
      }
      if (viaTracked) {
        tracked.offer(ITEM);
      } else {
        untracked.offer(ITEM);
      }
      sent++;
    }

    void consume(boolean viaTracked, Received r) {
      byte[] item = viaTracked ? tracked.poll() : untracked.poll();
      if (item != null) {
        received++;
        r.items++;
      } else {
        Thread.yield();
      }
    }
  }

  /** The queues of a one-thread benchmark. */
  @State(Scope.Thread)
  public static class OneThread extends Pair {
    @Setup(Level.Trial)
    public void setUp() {
      open();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      close();
    }
  }

  /** Items the consumer received; JMH reports it as a rate. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Received {
    public long items;
  }

  @Benchmark
  @Group("b6Tracked")
  @GroupThreads(1)
  public void trackedProducer(Queues q) {
    q.produce(true);
  }

  @Benchmark
  @Group("b6Tracked")
  @GroupThreads(1)
  public void trackedConsumer(Queues q, Received r) {
    q.consume(true, r);
  }

  @Benchmark
  @Group("b6Untracked")
  @GroupThreads(1)
  public void untrackedProducer(Queues q) {
    q.produce(false);
  }

  @Benchmark
  @Group("b6Untracked")
  @GroupThreads(1)
  public void untrackedConsumer(Queues q, Received r) {
    q.consume(false, r);
  }

  /** For information: offer then poll on one thread, the per-item cost without contention. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public byte[] b6TrackedOneThread(OneThread q) {
    q.tracked.offer(ITEM);
    return q.tracked.poll();
  }

  /** Baseline of {@link #b6TrackedOneThread}. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public byte[] b6UntrackedOneThread(OneThread q) {
    q.untracked.offer(ITEM);
    return q.untracked.poll();
  }

  /**
   * For information: one reading of the tracker's clock ({@link System#nanoTime()}), which every
   * enqueue pays to stamp its item with its age, and which the untracked baseline does not.
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public long b6ClockRead(OneThread q) {
    return q.tracker.clock().nanoTime();
  }

  /** {@link TrackedQueue}'s structure without the accounting. */
  static final class Untracked<T> {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<T> items = new ArrayDeque<>();

    void offer(T item) {
      lock.lock();
      try {
        items.addLast(item);
        notEmpty.signal();
      } finally {
        lock.unlock();
      }
    }

    T poll() {
      lock.lock();
      try {
        return items.pollFirst();
      } finally {
        lock.unlock();
      }
    }
  }
}
