package dev.memquota.queue;

import dev.memquota.Account;
import dev.memquota.AccountClosedException;
import dev.memquota.IsParticipant;
import dev.memquota.MemoryClock;
import dev.memquota.MemoryQuotaException;
import dev.memquota.ParticipantClosedException;
import dev.memquota.Participation;
import dev.memquota.ReclaimRequest;
import dev.memquota.Reclaimed;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * An unbounded, multi-producer, multi-consumer FIFO queue whose items are counted against a
 * memquota {@link Account}, and which is discarded as a whole when the tracker reclaims it.
 *
 * <pre>{@code
 * TrackedQueue<byte[]> queue = TrackedQueue.create(connectionAccount, tracker.clock(), b -> b.length);
 * queue.onCollapse(c -> connection.close());      // e.g. drop the peer whose data was discarded
 * queue.put(packet);                              // producer: claims packet.length bytes
 * byte[] next = queue.take();                     // consumer: releases them
 * }</pre>
 *
 * <h2>Accounting</h2>
 *
 * Each item's cost is computed once, by the function given at creation, when it is enqueued; the
 * queue claims that many bytes through its participation before the item becomes visible and
 * releases the same number when the item leaves the queue (dequeued, drained or discarded). So,
 * whenever no operation is in flight, the bytes claimed through the participation equal {@link
 * #queuedBytes()}, the sum of the costs of the items queued. The queue is the {@link
 * IsParticipant} of its account: {@link #oldestData()} is the enqueue time, read from the clock
 * given at creation (which must be the tracker's {@linkplain dev.memquota.MemoryQuotaTracker#clock()
 * clock}), of the item at the head.
 *
 * <p>The queue does not keep its account open, just as a {@link dev.memquota.Participation} does
 * not: whoever owns the queue (a connection, say) must also hold the account, or the engine closes
 * the account once it becomes unreachable and the queue collapses with {@link
 * CollapseReason#DETACHED} at its next enqueue.
 *
 * <h2>Why unbounded</h2>
 *
 * The memory quota is the bound. A capacity would make producers wait for a slow consumer; in a
 * relay one producer serves many peers, so a peer that never reads could stall everyone by filling
 * its queue. Instead producers never block, and the tracker discards the queues holding the oldest
 * data when the quota is exceeded. {@link #put(Object)} and {@link #offer(Object)} therefore never
 * wait; only consumers block ({@link #take()}, {@link #poll(long, TimeUnit)}).
 *
 * <h2>Collapse</h2>
 *
 * The queue collapses when the tracker asks it to {@linkplain #reclaim(ReclaimRequest) reclaim},
 * when its owner {@linkplain #close() closes} it, or when a claim fails because its account,
 * participation or tracker is gone. Collapsing drops all items at once, releases their memory and
 * closes the participation, wakes every waiting consumer, and runs the {@linkplain
 * #onCollapse(Consumer) collapse listeners} once, with a {@link QueueCollapse} that gives the
 * {@link CollapseReason}. From then on every operation that produces or consumes items ({@code
 * put}, {@code offer}, {@code poll}, {@code take}, {@code peek}, {@code drainTo}) throws {@link
 * QueueCollapsedException}; the enqueue whose claim failed throws it too. The queries ({@link
 * #size()}, {@link #isEmpty()}, {@link #queuedBytes()}, {@link #isCollapsed()}, {@link
 * #collapse()}) never throw; a collapsed queue is empty.
 *
 * <h2>Lossy mode</h2>
 *
 * A queue built with {@link Builder#lossy()} answers a reclaim request by discarding its oldest
 * items, those enqueued at or before {@link ReclaimRequest#discardUpTo()}, stopping once it has
 * released {@link ReclaimRequest#bytesWanted()} bytes, and answers {@link Reclaimed#PARTIAL}. If
 * that frees nothing (no item is old enough, or the queue is empty) it collapses instead, since a
 * partial answer that releases nothing counts as collapsing. Consumers are not told which items
 * were discarded; {@link #discardedItems()} counts them.
 *
 * <p><b>Thread-safety:</b> all methods may be called from any number of threads. One lock guards
 * the items and the claims, so that items and claimed bytes always change together and enqueue
 * times follow queue order; {@link #oldestData()} takes no lock. Claims and releases are made while
 * holding the queue's lock, which is safe because the tracker never calls a participant while
 * holding its own lock. Collapse listeners run after the lock is released, on the thread that
 * caused the collapse: the tracker's reclamation thread when reclaimed.
 *
 * @param <T> the type of the items
 */
public final class TrackedQueue<T> implements IsParticipant, AutoCloseable {

  private static final System.Logger LOG = System.getLogger(TrackedQueue.class.getName());

  private static final VarHandle HEAD;

  static {
    try {
      HEAD = MethodHandles.lookup().findVarHandle(TrackedQueue.class, "head", Entry.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final CompletionStage<Reclaimed> COLLAPSING =
      CompletableFuture.completedFuture(Reclaimed.COLLAPSING);
  private static final CompletionStage<Reclaimed> PARTIAL =
      CompletableFuture.completedFuture(Reclaimed.PARTIAL);

  /** One queued item with what it cost and when it came. */
  private static final class Entry<T> {
    final T item;
    final long cost;
    final long enqueuedAt;

    Entry(T item, long cost, long enqueuedAt) {
      this.item = item;
      this.cost = cost;
      this.enqueuedAt = enqueuedAt;
    }
  }

  /** A collapse that happened under the lock, with the listeners to run once it is released. */
  private static final class Fired {
    final QueueCollapse collapse;
    final List<Consumer<? super QueueCollapse>> listeners;

    Fired(QueueCollapse collapse, List<Consumer<? super QueueCollapse>> listeners) {
      this.collapse = collapse;
      this.listeners = listeners;
    }
  }

  private final Participation participation;
  private final MemoryClock clock;
  private final ToLongFunction<? super T> costOf;
  private final boolean lossy;
  private final String name;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();

  // Guarded by lock.
  private final ArrayDeque<Entry<T>> items = new ArrayDeque<>();
  private long bytes;
  private long discardedItems;
  private long discardedBytes;
  private QueueCollapse collapse;
  private Throwable collapseCause;
  private List<Consumer<? super QueueCollapse>> listeners = new ArrayList<>();

  // Written under lock whenever the head changes; read without it by oldestData(). Written with
  // release and read with acquire semantics (HEAD): a full volatile write would cost a fence on
  // every enqueue into an empty queue and every dequeue, for a value that is only ever approximate.
  @SuppressWarnings("unused") // accessed through HEAD
  private Entry<T> head;

  private TrackedQueue(
      Participation participation,
      MemoryClock clock,
      ToLongFunction<? super T> costOf,
      boolean lossy,
      String name) {
    this.participation = Objects.requireNonNull(participation, "participation");
    this.clock = clock;
    this.costOf = costOf;
    this.lossy = lossy;
    this.name = name;
  }

  /**
   * Creates a collapsing (not lossy) queue registered as a participant of {@code account}.
   *
   * @param account the account the queue's memory is counted against
   * @param clock the tracker's clock ({@link dev.memquota.MemoryQuotaTracker#clock()})
   * @param costOf the memory cost of an item, in bytes; called once per enqueue, must return at
   *     least zero
   * @param <T> the type of the items
   * @return a new, empty, open queue
   * @throws NullPointerException if an argument is {@code null}
   * @throws AccountClosedException if {@code account} is closed or was reclaimed
   * @throws dev.memquota.TrackerShutdownException if the account's tracker is closed
   */
  public static <T> TrackedQueue<T> create(
      Account account, MemoryClock clock, ToLongFunction<? super T> costOf) {
    return TrackedQueue.<T>builder(clock, costOf).build(account);
  }

  /**
   * Returns a builder for a queue with non-default settings.
   *
   * @param clock the tracker's clock ({@link dev.memquota.MemoryQuotaTracker#clock()})
   * @param costOf the memory cost of an item, in bytes; called once per enqueue, must return at
   *     least zero
   * @param <T> the type of the items
   * @return a new builder: collapsing, unnamed
   * @throws NullPointerException if an argument is {@code null}
   */
  public static <T> Builder<T> builder(MemoryClock clock, ToLongFunction<? super T> costOf) {
    return new Builder<>(clock, costOf);
  }

  /**
   * Adds {@code item} at the tail, claiming its cost. Never waits: the queue is unbounded.
   *
   * @param item the item
   * @throws NullPointerException if {@code item} is {@code null}
   * @throws IllegalArgumentException if the cost function returns a negative number, or the claim
   *     would overflow the queue's or the tracker's total; nothing is changed then
   * @throws QueueCollapsedException if the queue has collapsed, or collapses now because the claim
   *     failed (its account, participation or tracker is gone)
   */
  public void put(T item) {
    Objects.requireNonNull(item, "item");
    long cost = costOf.applyAsLong(item);
    if (cost < 0) {
      throw new IllegalArgumentException("the cost of an item must be >= 0, was " + cost);
    }
    Fired fired;
    MemoryQuotaException failure;
    lock.lock();
    try {
      throwIfCollapsedLocked();
      if (Long.MAX_VALUE - bytes < cost) {
        throw new IllegalArgumentException(
            "queued bytes would overflow: " + bytes + " + " + cost);
      }
      try {
        participation.claim(cost);
        Entry<T> entry = new Entry<>(item, cost, clock.nanoTime());
        items.addLast(entry);
        bytes += cost;
        if (HEAD.getOpaque(this) == null) {
          HEAD.setRelease(this, entry);
        }
        notEmpty.signal();
        return;
      } catch (MemoryQuotaException e) {
        failure = e;
        fired = collapseLocked(reasonFor(e), e);
      }
    } finally {
      lock.unlock();
    }
    fire(fired);
    throw new QueueCollapsedException(fired.collapse.reason(), failure);
  }

  /**
   * Adds {@code item} at the tail, claiming its cost; same as {@link #put(Object)}, in the shape of
   * {@link java.util.Queue#offer(Object)}.
   *
   * @param item the item
   * @return {@code true}: an unbounded queue always accepts
   * @throws NullPointerException if {@code item} is {@code null}
   * @throws IllegalArgumentException if the cost function returns a negative number, or the claim
   *     would overflow; nothing is changed then
   * @throws QueueCollapsedException if the queue has collapsed, or collapses now
   */
  public boolean offer(T item) {
    put(item);
    return true;
  }

  /**
   * Removes and returns the head if there is one, releasing its cost. Never waits.
   *
   * @return the head, or {@code null} if the queue is empty
   * @throws QueueCollapsedException if the queue has collapsed
   */
  public T poll() {
    lock.lock();
    try {
      throwIfCollapsedLocked();
      return items.isEmpty() ? null : dequeueLocked();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes and returns the head, waiting up to {@code timeout} for an item to arrive.
   *
   * @param timeout how long to wait; zero or negative does not wait
   * @param unit the unit of {@code timeout}
   * @return the head, or {@code null} if none arrived in time
   * @throws InterruptedException if the thread is interrupted while waiting
   * @throws NullPointerException if {@code unit} is {@code null}
   * @throws QueueCollapsedException if the queue has collapsed, or collapses while waiting
   */
  public T poll(long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = unit.toNanos(timeout);
    lock.lockInterruptibly();
    try {
      while (true) {
        throwIfCollapsedLocked();
        if (!items.isEmpty()) {
          return dequeueLocked();
        }
        if (nanos <= 0) {
          return null;
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes and returns the head, waiting as long as needed for an item to arrive.
   *
   * @return the head
   * @throws InterruptedException if the thread is interrupted while waiting
   * @throws QueueCollapsedException if the queue has collapsed, or collapses while waiting
   */
  public T take() throws InterruptedException {
    T item;
    do {
      // Items are never null, so null only means that a (practically endless) wait ran out.
      item = poll(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    } while (item == null);
    return item;
  }


  /**
   * Returns the head without removing it.
   *
   * @return the head, or {@code null} if the queue is empty
   * @throws QueueCollapsedException if the queue has collapsed
   */
  public T peek() {
    lock.lock();
    try {
      throwIfCollapsedLocked();
      Entry<T> first = items.peekFirst();
      return first == null ? null : first.item;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Moves all queued items, in order, to {@code target}, releasing their cost. Never waits.
   *
   * @param target where to add the items
   * @return how many items were moved
   * @throws NullPointerException if {@code target} is {@code null}
   * @throws QueueCollapsedException if the queue has collapsed
   */
  public int drainTo(Collection<? super T> target) {
    return drainTo(target, Integer.MAX_VALUE);
  }

  /**
   * Moves up to {@code maxItems} items from the head, in order, to {@code target}, releasing their
   * cost. Never waits. If {@code target.add} throws, the items added before stay moved and the
   * rest stay queued.
   *
   * @param target where to add the items
   * @param maxItems the most items to move; zero or negative moves none
   * @return how many items were moved
   * @throws NullPointerException if {@code target} is {@code null}
   * @throws QueueCollapsedException if the queue has collapsed
   */
  public int drainTo(Collection<? super T> target, int maxItems) {
    Objects.requireNonNull(target, "target");
    lock.lock();
    try {
      throwIfCollapsedLocked();
      int moved = 0;
      long released = 0;
      try {
        while (moved < maxItems && !items.isEmpty()) {
          Entry<T> first = items.peekFirst();
          target.add(first.item);
          items.pollFirst();
          released += first.cost;
          moved++;
        }
      } finally {
        releaseLocked(released);
      }
      return moved;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the number of items queued.
   *
   * @return the number of items; zero once collapsed
   */
  public int size() {
    return underLock(() -> items.size());
  }

  /**
   * Tells whether no item is queued.
   *
   * @return {@code true} if the queue is empty, and always once collapsed
   */
  public boolean isEmpty() {
    return size() == 0;
  }

  /**
   * Returns the sum of the costs of the items queued: what this queue has claimed and not
   * released. Exact (the tracker's total may be larger by the participation's cache).
   *
   * @return bytes queued; zero once collapsed
   */
  public long queuedBytes() {
    return underLock(() -> bytes);
  }

  /**
   * Returns how many items a lossy queue has discarded to answer partial reclaim requests. Items
   * dropped by a collapse are not counted here (see {@link QueueCollapse#droppedItems()}).
   *
   * @return items discarded by partial reclamation; zero for a collapsing queue
   */
  public long discardedItems() {
    return underLock(() -> discardedItems);
  }

  /**
   * Returns the total cost of the items counted by {@link #discardedItems()}.
   *
   * @return bytes released by partial reclamation
   */
  public long discardedBytes() {
    return underLock(() -> discardedBytes);
  }

  /**
   * Tells whether the queue has collapsed.
   *
   * @return {@code true} once collapsed; never reverts
   */
  public boolean isCollapsed() {
    return collapse().isPresent();
  }

  /**
   * Returns what the collapse was, if the queue has collapsed.
   *
   * @return the collapse report, or empty while the queue is open
   */
  public Optional<QueueCollapse> collapse() {
    return underLock(() -> Optional.ofNullable(collapse));
  }

  /**
   * Tells whether this queue answers reclaim requests partially.
   *
   * @return {@code true} if built {@linkplain Builder#lossy() lossy}
   */
  public boolean isLossy() {
    return lossy;
  }

  /**
   * Registers a listener to run once when the queue collapses. If the queue has already collapsed,
   * the listener runs at once on the calling thread. Listeners run in registration order, on the
   * thread that caused the collapse (for a reclaimed queue, the tracker's reclamation thread), and
   * should be quick. A listener that throws is logged and does not stop the others.
   *
   * @param listener receives the collapse report
   * @throws NullPointerException if {@code listener} is {@code null}
   */
  public void onCollapse(Consumer<? super QueueCollapse> listener) {
    Objects.requireNonNull(listener, "listener");
    QueueCollapse already;
    lock.lock();
    try {
      already = collapse;
      if (already == null) {
        listeners.add(listener);
        return;
      }
    } finally {
      lock.unlock();
    }
    runListener(listener, already);
  }

  /**
   * Collapses the queue with reason {@link CollapseReason#CLOSED}: drops the items, releases their
   * memory, closes the participation, wakes waiting consumers and runs the collapse listeners.
   * Idempotent (a queue that has already collapsed keeps its first reason); never throws.
   */
  @Override
  public void close() {
    collapse(CollapseReason.CLOSED);
  }

  /**
   * Returns the enqueue time of the head item. Takes no lock; called by the tracker.
   *
   * @return the time, on the tracker's clock, at which the oldest queued item was enqueued; empty
   *     when the queue is empty or has collapsed
   */
  @Override
  public OptionalLong oldestData() {
    @SuppressWarnings("unchecked")
    Entry<T> first = (Entry<T>) HEAD.getAcquire(this);
    return first == null ? OptionalLong.empty() : OptionalLong.of(first.enqueuedAt);
  }

  /**
   * Answers the tracker's reclaim request; called by the tracker. A collapsing queue collapses with
   * reason {@link CollapseReason#RECLAIMED}; a lossy queue discards old items as described in the
   * class documentation. The returned stage is already complete.
   *
   * @param request what to discard
   * @return {@link Reclaimed#COLLAPSING} or, for a lossy queue that freed something, {@link
   *     Reclaimed#PARTIAL}
   * @throws NullPointerException if {@code request} is {@code null}
   */
  @Override
  public CompletionStage<Reclaimed> reclaim(ReclaimRequest request) {
    Objects.requireNonNull(request, "request");
    if (lossy && discardOldest(request)) {
      return PARTIAL;
    }
    collapse(CollapseReason.RECLAIMED);
    return COLLAPSING;
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      return "TrackedQueue["
          + (name == null ? "" : name + ", ")
          + items.size()
          + " items, "
          + bytes
          + " bytes"
          + (lossy ? ", lossy" : "")
          + (collapse == null ? "" : ", collapsed: " + collapse.reason())
          + "]";
    } finally {
      lock.unlock();
    }
  }

  /** Discards items from the head as the request allows; tells whether anything was released. */
  private boolean discardOldest(ReclaimRequest request) {
    lock.lock();
    try {
      if (collapse != null) {
        return false;
      }
      // Count first, remove after: if nothing would be released the items must stay, so that the
      // collapse that follows reports (and drops) every one of them, zero-cost items included.
      long released = 0;
      long count = 0;
      for (Entry<T> e : items) {
        if (released >= request.bytesWanted() || e.enqueuedAt > request.discardUpTo()) {
          break;
        }
        released += e.cost;
        count++;
      }
      if (released == 0) {
        return false; // a PARTIAL answer that released nothing would count as collapsing anyway
      }
      for (long i = 0; i < count; i++) {
        items.pollFirst();
      }
      discardedItems += count;
      discardedBytes += released;
      releaseLocked(released);
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void collapse(CollapseReason reason) {
    Fired fired;
    lock.lock();
    try {
      if (collapse != null) {
        return;
      }
      fired = collapseLocked(reason, null);
    } finally {
      lock.unlock();
    }
    fire(fired);
  }

  /** Drops everything and closes the participation; the caller runs the listeners after unlock. */
  private Fired collapseLocked(CollapseReason reason, Throwable cause) {
    assert lock.isHeldByCurrentThread();
    Entry<T> first = items.peekFirst();
    QueueCollapse report =
        new QueueCollapse(
            reason,
            items.size(),
            bytes,
            first == null ? OptionalLong.empty() : OptionalLong.of(first.enqueuedAt));
    items.clear();
    bytes = 0;
    HEAD.setRelease(this, null);
    collapse = report;
    collapseCause = cause;
    // Closing releases everything claimed through the participation: the dropped items.
    participation.close();
    notEmpty.signalAll();
    List<Consumer<? super QueueCollapse>> toRun = listeners;
    listeners = List.of();
    return new Fired(report, toRun);
  }

  private T dequeueLocked() {
    Entry<T> first = items.pollFirst();
    releaseLocked(first.cost);
    if (!items.isEmpty()) {
      // Pass the wake-up on, so that other waiting consumers see the remaining items.
      notEmpty.signal();
    }
    return first.item;
  }

  /** Releases {@code released} bytes of items already taken off, and updates the head. */
  private void releaseLocked(long released) {
    bytes -= released;
    HEAD.setRelease(this, items.peekFirst());
    participation.release(released);
  }

  private <R> R underLock(Supplier<R> read) {
    lock.lock();
    try {
      return read.get();
    } finally {
      lock.unlock();
    }
  }

  private void throwIfCollapsedLocked() {
    if (collapse != null) {
      throw new QueueCollapsedException(collapse.reason(), collapseCause);
    }
  }

  private static CollapseReason reasonFor(MemoryQuotaException e) {
    boolean reclaimed =
        (e instanceof AccountClosedException && ((AccountClosedException) e).reclaimed())
            || (e instanceof ParticipantClosedException
                && ((ParticipantClosedException) e).reclaimed());
    return reclaimed ? CollapseReason.RECLAIMED : CollapseReason.DETACHED;
  }

  private static void fire(Fired fired) {
    for (Consumer<? super QueueCollapse> listener : fired.listeners) {
      runListener(listener, fired.collapse);
    }
  }

  private static void runListener(Consumer<? super QueueCollapse> listener, QueueCollapse c) {
    try {
      listener.accept(c);
    } catch (RuntimeException | Error e) {
      LOG.log(System.Logger.Level.WARNING, "tracked queue collapse listener threw", e);
    }
  }

  /**
   * Builds a {@link TrackedQueue}. Not thread-safe.
   *
   * @param <T> the type of the items
   */
  public static final class Builder<T> {
    private final MemoryClock clock;
    private final ToLongFunction<? super T> costOf;
    private boolean lossy;
    private String name;

    private Builder(MemoryClock clock, ToLongFunction<? super T> costOf) {
      this.clock = Objects.requireNonNull(clock, "clock");
      this.costOf = Objects.requireNonNull(costOf, "costOf");
    }

    /**
     * Makes the queue lossy: it answers reclaim requests by discarding its oldest items and
     * answering {@link Reclaimed#PARTIAL}, collapsing only when that frees nothing.
     *
     * @return this builder
     */
    public Builder<T> lossy() {
      this.lossy = true;
      return this;
    }

    /**
     * Names the queue in its {@code toString}, for diagnostics.
     *
     * @param name a short name, such as the peer's address
     * @return this builder
     * @throws NullPointerException if {@code name} is {@code null}
     */
    public Builder<T> name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Creates the queue and registers it as a participant of {@code account}.
     *
     * @param account the account the queue's memory is counted against
     * @return a new, empty, open queue
     * @throws NullPointerException if {@code account} is {@code null}
     * @throws AccountClosedException if {@code account} is closed or was reclaimed
     * @throws dev.memquota.TrackerShutdownException if the account's tracker is closed
     */
    public TrackedQueue<T> build(Account account) {
      Objects.requireNonNull(account, "account");
      return account.register(
          participation -> new TrackedQueue<T>(participation, clock, costOf, lossy, name));
    }
  }
}
