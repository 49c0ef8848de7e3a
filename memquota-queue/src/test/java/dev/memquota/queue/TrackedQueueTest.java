package dev.memquota.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memquota.AccountClosedException;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.ParticipantClosedException;
import dev.memquota.ReclaimRequest;
import dev.memquota.Reclaimed;
import dev.memquota.TrackerShutdownException;
import dev.memquota.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TrackedQueueTest {
  private final ManualClock clock = new ManualClock();
  private final FakeAccount account = new FakeAccount();
  private final TrackedQueue<String> queue = TrackedQueue.create(account, clock, String::length);

  private long held() {
    return account.participation.held.get();
  }

  private static Reclaimed answer(TrackedQueue<?> q, ReclaimRequest request) throws Exception {
    return q.reclaim(request).toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  /** Waits, bounded, until {@code thread} is parked waiting. */
  private static void awaitWaiting(Thread thread) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (thread.getState() != Thread.State.WAITING
        && thread.getState() != Thread.State.TIMED_WAITING) {
      assertTrue(System.nanoTime() < deadline, "thread never started waiting: " + thread.getState());
      Thread.sleep(1);
    }
  }

  /** A blocking call made by a consumer. */
  interface Blocking {
    Object call() throws Exception;
  }

  /** A consumer thread parked in a blocking call, and what that call ended with. */
  record Blocked(Thread thread, CompletableFuture<Object> outcome) {
    /** Returns the call's result, or what it threw, waiting a bounded time. */
    Object result() throws Exception {
      return outcome.get(10, TimeUnit.SECONDS);
    }
  }

  /** Starts {@code call} on a new thread and returns once it is parked waiting. */
  private static Blocked startBlocked(Blocking call) throws InterruptedException {
    CompletableFuture<Object> outcome = new CompletableFuture<>();
    Thread consumer =
        new Thread(
            () -> {
              try {
                outcome.complete(call.call());
              } catch (Throwable t) {
                outcome.complete(t);
              }
            });
    consumer.start();
    awaitWaiting(consumer);
    return new Blocked(consumer, outcome);
  }

  @Test
  void registersItselfAsTheAccountsParticipant() {
    assertSame(queue, account.participant);
  }

  @Test
  void putClaimsTheCostAndTakeReleasesIt() throws Exception {
    queue.put("abc");
    queue.put("de");
    assertEquals(5, held());
    assertEquals(5, queue.queuedBytes());
    assertEquals(2, queue.size());
    assertEquals("abc", queue.take());
    assertEquals(2, held());
    assertEquals("de", queue.poll());
    assertEquals(0, held());
    assertTrue(queue.isEmpty());
  }

  @Test
  void costIsComputedOnceAtEnqueue() {
    StringBuilder item = new StringBuilder("1234");
    TrackedQueue<StringBuilder> q = TrackedQueue.create(account, clock, StringBuilder::length);
    q.put(item);
    item.append("grown after enqueue");
    assertSame(item, q.poll());
    assertEquals(0, held());
  }

  @Test
  void isFirstInFirstOut() {
    for (int i = 0; i < 100; i++) {
      queue.offer("item" + i);
    }
    for (int i = 0; i < 100; i++) {
      assertEquals("item" + i, queue.poll());
    }
  }

  @Test
  void oldestDataIsTheEnqueueTimeOfTheHead() {
    assertEquals(OptionalLong.empty(), queue.oldestData());
    long first = clock.nanoTime();
    queue.put("a");
    clock.advance(Duration.ofSeconds(1));
    long second = clock.nanoTime();
    queue.put("b");
    assertEquals(OptionalLong.of(first), queue.oldestData());
    queue.poll();
    assertEquals(OptionalLong.of(second), queue.oldestData());
    queue.poll();
    assertEquals(OptionalLong.empty(), queue.oldestData());
  }

  @Test
  void pollAndPeekOnAnEmptyQueueReturnNull() throws Exception {
    assertNull(queue.poll());
    assertNull(queue.peek());
    assertNull(queue.poll(0, TimeUnit.MILLISECONDS));
    assertNull(queue.poll(10, TimeUnit.MILLISECONDS));
  }

  @Test
  void peekDoesNotRemove() {
    queue.put("x");
    assertEquals("x", queue.peek());
    assertEquals(1, queue.size());
    assertEquals(1, held());
  }

  @Test
  void takeWaitsForAProducer() throws Exception {
    Blocked consumer = startBlocked(queue::take);
    assertFalse(consumer.outcome.isDone());
    queue.put("hello");
    assertEquals("hello", consumer.result());
    assertEquals(0, held());
  }

  @Test
  void pollWithTimeoutReturnsAnItemThatArrivesWhileWaiting() throws Exception {
    Blocked consumer = startBlocked(() -> queue.poll(1, TimeUnit.MINUTES));
    queue.put("late");
    assertEquals("late", consumer.result());
  }

  @Test
  void takeIsInterruptible() throws Exception {
    Blocked consumer = startBlocked(queue::take);
    consumer.thread().interrupt();
    assertTrue(consumer.result() instanceof InterruptedException);
  }

  @Test
  void drainToMovesItemsInOrderAndReleasesThem() {
    queue.put("a");
    queue.put("bb");
    queue.put("ccc");
    List<String> out = new ArrayList<>();
    assertEquals(2, queue.drainTo(out, 2));
    assertEquals(List.of("a", "bb"), out);
    assertEquals(3, held());
    assertEquals(1, queue.drainTo(out));
    assertEquals(List.of("a", "bb", "ccc"), out);
    assertEquals(0, held());
    assertEquals(0, queue.drainTo(out, 0));
  }

  @Test
  void drainToKeepsTheRestQueuedWhenTheTargetThrows() {
    queue.put("a");
    queue.put("bb");
    List<String> out =
        new ArrayList<>() {
          private static final long serialVersionUID = 1L;

          @Override
          public boolean add(String s) {
            if (s.equals("bb")) {
              throw new IllegalStateException("full");
            }
            return super.add(s);
          }
        };
    assertThrows(IllegalStateException.class, () -> queue.drainTo(out));
    assertEquals(List.of("a"), out);
    assertEquals(1, queue.size());
    assertEquals(2, held());
  }

  @Test
  void rejectsNullItemsAndNegativeCostsWithoutClaiming() {
    assertThrows(NullPointerException.class, () -> queue.put(null));
    TrackedQueue<String> negative = TrackedQueue.create(account, clock, s -> -1);
    assertThrows(IllegalArgumentException.class, () -> negative.put("x"));
    assertEquals(0, held());
    assertEquals(0, negative.size());
  }

  @Test
  void reclaimCollapsesDropsEverythingAndReleasesIt() throws Exception {
    queue.put("abc");
    queue.put("de");
    assertEquals(Reclaimed.COLLAPSING, answer(queue, new ReclaimRequest(clock.nanoTime(), 1)));
    assertTrue(queue.isCollapsed());
    assertEquals(0, held());
    assertTrue(account.participation.closed);
    assertEquals(0, queue.size());
    assertEquals(0, queue.queuedBytes());
    assertEquals(OptionalLong.empty(), queue.oldestData());
    QueueCollapsedException e = assertThrows(QueueCollapsedException.class, queue::poll);
    assertEquals(CollapseReason.RECLAIMED, e.reason());
    assertEquals(QueueCollapsedException.RECLAIMED_MESSAGE, e.getMessage());
    assertTrue(e.getMessage().contains("memory pressure"));
  }

  @Test
  void everyOperationFailsWithTheSameExceptionOnceCollapsed() {
    queue.close();
    List<Class<? extends Throwable>> thrown = new ArrayList<>();
    List<org.junit.jupiter.api.function.Executable> operations =
        List.of(
            () -> queue.put("x"),
            () -> queue.offer("x"),
            queue::poll,
            () -> queue.poll(1, TimeUnit.SECONDS),
            queue::take,
            queue::peek,
            () -> queue.drainTo(new ArrayList<>()),
            () -> queue.drainTo(new ArrayList<>(), 3));
    for (org.junit.jupiter.api.function.Executable operation : operations) {
      QueueCollapsedException e = assertThrows(QueueCollapsedException.class, operation);
      assertEquals(CollapseReason.CLOSED, e.reason());
      thrown.add(e.getClass());
    }
    assertEquals(operations.size(), thrown.size());
    assertEquals(0, account.participation.claims.get());
  }

  @Test
  void reclaimWakesAWaitingConsumer() throws Exception {
    Blocked consumer = startBlocked(queue::take);
    answer(queue, new ReclaimRequest(clock.nanoTime(), 0));
    Object t = consumer.result();
    assertTrue(t instanceof QueueCollapsedException, String.valueOf(t));
    assertEquals(CollapseReason.RECLAIMED, ((QueueCollapsedException) t).reason());
  }

  @Test
  void closeWakesATimedConsumer() throws Exception {
    Blocked consumer = startBlocked(() -> queue.poll(1, TimeUnit.MINUTES));
    queue.close();
    assertEquals(CollapseReason.CLOSED, ((QueueCollapsedException) consumer.result()).reason());
  }

  @Test
  void collapseListenersRunOnceWithTheReasonAndWhatWasDropped() throws Exception {
    List<QueueCollapse> seen = new ArrayList<>();
    queue.onCollapse(seen::add);
    long first = clock.nanoTime();
    queue.put("abc");
    clock.advanceNanos(5);
    queue.put("de");
    answer(queue, new ReclaimRequest(clock.nanoTime(), 1));
    answer(queue, new ReclaimRequest(clock.nanoTime(), 1));
    queue.close();
    assertEquals(
        List.of(new QueueCollapse(CollapseReason.RECLAIMED, 2, 5, OptionalLong.of(first))), seen);
    assertEquals(seen.get(0), queue.collapse().orElseThrow());
  }

  @Test
  void closeCollapsesWithReasonClosedAndKeepsTheFirstReason() throws Exception {
    List<CollapseReason> seen = new ArrayList<>();
    queue.onCollapse(c -> seen.add(c.reason()));
    queue.put("abc");
    queue.close();
    queue.close();
    assertEquals(Reclaimed.COLLAPSING, answer(queue, new ReclaimRequest(clock.nanoTime(), 1)));
    assertEquals(List.of(CollapseReason.CLOSED), seen);
    assertEquals(0, held());
    assertTrue(account.participation.closed);
  }

  @Test
  void aListenerAddedAfterTheCollapseRunsAtOnce() {
    queue.close();
    List<CollapseReason> seen = new ArrayList<>();
    queue.onCollapse(c -> seen.add(c.reason()));
    assertEquals(List.of(CollapseReason.CLOSED), seen);
  }

  @Test
  void aThrowingListenerDoesNotStopTheOthers() {
    List<String> seen = new ArrayList<>();
    queue.onCollapse(
        c -> {
          throw new IllegalStateException("listener bug");
        });
    queue.onCollapse(c -> seen.add("second"));
    queue.close();
    assertEquals(List.of("second"), seen);
  }

  @Test
  void aFailedClaimCollapsesTheQueueAndFailsTheEnqueue() {
    List<QueueCollapse> seen = new ArrayList<>();
    queue.onCollapse(seen::add);
    queue.put("old");
    AccountClosedException cause = new AccountClosedException("account 7 reclaimed", true);
    account.participation.failClaimsWith.set(cause);
    QueueCollapsedException e = assertThrows(QueueCollapsedException.class, () -> queue.put("new"));
    assertEquals(CollapseReason.RECLAIMED, e.reason());
    assertSame(cause, e.getCause());
    assertEquals(1, seen.size());
    assertEquals(1, seen.get(0).droppedItems());
    assertEquals(0, held());
    assertTrue(queue.isCollapsed());
    QueueCollapsedException later = assertThrows(QueueCollapsedException.class, queue::poll);
    assertSame(cause, later.getCause());
  }

  @Test
  void aClaimFailingBecauseTheOwnerClosedSomethingDetachesTheQueue() {
    account.participation.failClaimsWith.set(new TrackerShutdownException("tracker closed"));
    QueueCollapsedException e = assertThrows(QueueCollapsedException.class, () -> queue.put("x"));
    assertEquals(CollapseReason.DETACHED, e.reason());
    assertEquals(QueueCollapsedException.DETACHED_MESSAGE, e.getMessage());

    FakeAccount other = new FakeAccount();
    TrackedQueue<String> q = TrackedQueue.create(other, clock, String::length);
    other.participation.failClaimsWith.set(new ParticipantClosedException("closed", false));
    assertEquals(
        CollapseReason.DETACHED,
        assertThrows(QueueCollapsedException.class, () -> q.put("x")).reason());

    FakeAccount third = new FakeAccount();
    TrackedQueue<String> r = TrackedQueue.create(third, clock, String::length);
    third.participation.failClaimsWith.set(new ParticipantClosedException("collapsed", true));
    assertEquals(
        CollapseReason.RECLAIMED,
        assertThrows(QueueCollapsedException.class, () -> r.put("x")).reason());
  }

  @Test
  void lossyQueueDiscardsItemsAtOrBeforeTheCutOffAndAnswersPartial() throws Exception {
    TrackedQueue<String> lossy = TrackedQueue.<String>builder(clock, String::length).lossy().build(account);
    lossy.put("aaaa");
    clock.advanceNanos(10);
    long cutOff = clock.nanoTime();
    lossy.put("bbb");
    clock.advanceNanos(10);
    long young = clock.nanoTime();
    lossy.put("cc");
    assertEquals(Reclaimed.PARTIAL, answer(lossy, new ReclaimRequest(cutOff, 1_000)));
    assertEquals(List.of("cc"), drain(lossy));
    assertEquals(2, lossy.discardedItems());
    assertEquals(7, lossy.discardedBytes());
    assertFalse(lossy.isCollapsed());
    assertEquals(0, held());
    lossy.put("dd");
    assertEquals(OptionalLong.of(young), lossy.oldestData());
  }

  @Test
  void lossyQueueStopsOnceItHasReleasedTheBytesWanted() throws Exception {
    TrackedQueue<String> lossy = TrackedQueue.<String>builder(clock, String::length).lossy().build(account);
    lossy.put("aaaa");
    lossy.put("bbb");
    lossy.put("cc");
    assertEquals(Reclaimed.PARTIAL, answer(lossy, new ReclaimRequest(clock.nanoTime(), 5)));
    assertEquals(2, lossy.discardedItems());
    assertEquals(2, held());
    assertEquals(1, lossy.size());
  }

  @Test
  void lossyReclaimThatReleasesNothingStillReportsZeroCostItemsInItsCollapse() throws Exception {
    TrackedQueue<String> lossy = TrackedQueue.<String>builder(clock, String::length).lossy().build(account);
    lossy.put(""); // costs nothing, and is old enough to go
    clock.advanceNanos(10);
    long cutOff = clock.nanoTime();
    clock.advanceNanos(10);
    lossy.put("young");
    assertEquals(Reclaimed.COLLAPSING, answer(lossy, new ReclaimRequest(cutOff, 1_000)));
    QueueCollapse collapse = lossy.collapse().orElseThrow();
    assertEquals(2, collapse.droppedItems(), "every queued item is accounted for");
    assertEquals(0, lossy.discardedItems());
  }

  @Test
  void lossyQueueCollapsesWhenNothingIsOldEnough() throws Exception {
    TrackedQueue<String> lossy = TrackedQueue.<String>builder(clock, String::length).lossy().build(account);
    long before = clock.nanoTime() - 1;
    lossy.put("young");
    assertEquals(Reclaimed.COLLAPSING, answer(lossy, new ReclaimRequest(before, 100)));
    assertTrue(lossy.isCollapsed());
    assertEquals(CollapseReason.RECLAIMED, lossy.collapse().orElseThrow().reason());
    assertEquals(0, held());
    assertTrue(lossy.isLossy());
  }

  @Test
  void worksOnTheNoopTracker() throws Exception {
    MemoryQuotaTracker noop = MemoryQuotaTracker.noop();
    TrackedQueue<String> q = TrackedQueue.create(noop.newAccount(), noop.clock(), String::length);
    q.put("abc");
    assertEquals(3, q.queuedBytes());
    assertEquals("abc", q.take());
    q.close();
    assertTrue(q.isCollapsed());
  }

  @Test
  void toStringNamesTheQueueAndItsState() {
    TrackedQueue<String> q =
        TrackedQueue.<String>builder(clock, String::length).name("conn-1").build(account);
    q.put("abc");
    assertEquals("TrackedQueue[conn-1, 1 items, 3 bytes]", q.toString());
    q.close();
    assertEquals("TrackedQueue[conn-1, 0 items, 0 bytes, collapsed: CLOSED]", q.toString());
  }

  @Test
  void reclaimStageIsComplete() {
    assertTrue(queue.reclaim(new ReclaimRequest(0, 0)).toCompletableFuture().isDone());
  }

  private static List<String> drain(TrackedQueue<String> q) {
    List<String> out = new ArrayList<>();
    q.drainTo(out);
    return out;
  }
}
