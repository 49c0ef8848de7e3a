package dev.memquota.testkit;

import dev.memquota.Account;
import dev.memquota.IsParticipant;
import dev.memquota.MemoryClock;
import dev.memquota.Participation;
import dev.memquota.ReclaimRequest;
import dev.memquota.Reclaimed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A scriptable participant: it holds chunks of data, each claimed at a given time, and answers
 * reclaim requests as the test tells it to.
 *
 * <p>Create one in a line; it registers itself through {@link Account#register(java.util.function.Function)}
 * and claims through its own participation:
 *
 * <pre>{@code
 * FakeParticipant queue = FakeParticipant.register(account, clock).holding(1 << 20);
 * FakeParticipant old = FakeParticipant.register(account, clock).holdingAt(t0, 4096).named("old");
 * }</pre>
 *
 * <p>By default it {@linkplain Answer#COLLAPSE collapses} when asked to reclaim, at once. The
 * {@code answering}, {@code completing...}, {@code failingOldestData} and {@code on...} methods
 * script other answers, including faulty ones, and calls back into the tracker from inside the
 * callbacks. Every request received is recorded ({@link #requests()}).
 *
 * <p><b>Keep it referenced.</b> The tracker holds participants weakly: a fake that the test no
 * longer references may be garbage-collected and then counts as having released everything. Keep
 * it in a local variable or field for as long as it should live; to test garbage collection, drop
 * every reference (keep only a {@link java.lang.ref.WeakReference}) and use {@link
 * Gc#awaitCollected}.
 *
 * <p><b>Thread-safety:</b> all methods may be called from any thread. The fake's lock is never held
 * while it calls its participation or a hook, so hooks may call back into the tracker.
 */
public final class FakeParticipant implements IsParticipant {

  /** How a fake answers a reclaim request. */
  public enum Answer {
    /** Drops all its data, closes its participation and answers {@link Reclaimed#COLLAPSING}. */
    COLLAPSE,
    /**
     * Releases its oldest chunks, those claimed at or before {@link ReclaimRequest#discardUpTo()},
     * oldest first, stopping once it has released {@link ReclaimRequest#bytesWanted()}, and answers
     * {@link Reclaimed#PARTIAL} (even if nothing was old enough to go).
     */
    RELEASE_OLDEST,
    /** Answers {@link Reclaimed#PARTIAL} without releasing anything: a faulty participant. */
    PARTIAL_WITHOUT_RELEASE,
    /** Throws from {@link IsParticipant#reclaim}: a faulty participant. */
    THROW,
    /** Returns a stage that completes exceptionally: a faulty participant. */
    FAIL
  }

  /** When a fake completes the stage it returned. */
  private enum Timing {
    AT_ONCE,
    ON_DEMAND,
    TWICE
  }

  private static final AtomicInteger SERIAL = new AtomicInteger();

  private final MemoryClock clock;
  private final Participation participation;
  private final NavigableMap<Long, Long> chunks = new TreeMap<>();
  private final List<ReclaimRequest> requests = new ArrayList<>();
  private final List<Runnable> pending = new ArrayList<>();

  private String name = "fake-" + SERIAL.incrementAndGet();
  private Answer answer = Answer.COLLAPSE;
  private Timing timing = Timing.AT_ONCE;
  private Duration delay;
  private boolean reportsNoData;
  private boolean failsOldestData;
  private boolean collapsed;
  private int oldestDataCalls;
  private Consumer<FakeParticipant> oldestDataHook = f -> {};
  private BiConsumer<FakeParticipant, ReclaimRequest> reclaimHook = (f, r) -> {};

  private FakeParticipant(Participation participation, MemoryClock clock) {
    this.participation = Objects.requireNonNull(participation, "participation");
    this.clock = clock;
  }

  /**
   * Registers a new fake in {@code account}; it holds nothing yet.
   *
   * @param account the account to register in
   * @param clock the clock that {@link #holding(long)} reads; normally the tracker's
   * @return the new fake, which by default collapses when asked to reclaim
   * @throws dev.memquota.MemoryQuotaException if the account or its tracker is closed
   */
  public static FakeParticipant register(Account account, MemoryClock clock) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(clock, "clock");
    return account.register(p -> new FakeParticipant(p, clock));
  }

  /**
   * Builds a fake around a participation that is being registered: use it inside {@link
   * Account#register(java.util.function.Function)} when the test needs to act before the factory
   * returns.
   *
   * @param participation the participation handed to the factory
   * @param clock the clock that {@link #holding(long)} reads; normally the tracker's
   * @return the new fake, which by default collapses when asked to reclaim
   */
  public static FakeParticipant around(Participation participation, MemoryClock clock) {
    return new FakeParticipant(participation, Objects.requireNonNull(clock, "clock"));
  }

  // ---------------------------------------------------------------- data

  /**
   * Claims {@code bytes} as one chunk of data added now (at the clock's current reading).
   *
   * @param bytes how many bytes; zero or more
   * @return this fake
   * @throws dev.memquota.MemoryQuotaException if the participation refuses the claim (the chunk is
   *     then not added)
   * @throws IllegalArgumentException if the participation rejects {@code bytes}
   */
  public FakeParticipant holding(long bytes) {
    return holdingAt(clock.nanoTime(), bytes);
  }

  /**
   * Claims {@code bytes} as one chunk of data added at {@code timestamp}. Chunks with the same
   * timestamp merge.
   *
   * @param timestamp when the data was added, on the tracker's clock
   * @param bytes how many bytes; zero or more
   * @return this fake
   * @throws dev.memquota.MemoryQuotaException if the participation refuses the claim (the chunk is
   *     then not added)
   * @throws IllegalArgumentException if the participation rejects {@code bytes}
   */
  public FakeParticipant holdingAt(long timestamp, long bytes) {
    participation.claim(bytes);
    if (bytes > 0) {
      synchronized (this) {
        chunks.merge(timestamp, bytes, Long::sum);
      }
    }
    return this;
  }

  /**
   * Releases chunks, oldest first, that were added at or before {@code upTo}, stopping as soon as
   * at least {@code enough} bytes have been released. Whole chunks only.
   *
   * @param upTo the youngest timestamp that may go
   * @param enough stop once this many bytes have been released
   * @return the bytes released
   */
  public long releaseOldest(long upTo, long enough) {
    long released = 0;
    List<Long> freed = new ArrayList<>();
    synchronized (this) {
      while (released < enough && !chunks.isEmpty() && chunks.firstKey() <= upTo) {
        Map.Entry<Long, Long> oldest = chunks.pollFirstEntry();
        freed.add(oldest.getValue());
        released += oldest.getValue();
      }
    }
    for (long bytes : freed) {
      participation.release(bytes);
    }
    return released;
  }

  /**
   * Releases every chunk, as a participant that has drained its buffer would.
   *
   * @return the bytes released
   */
  public long releaseAll() {
    return releaseOldest(Long.MAX_VALUE, Long.MAX_VALUE);
  }

  /**
   * Destroys this fake explicitly: drops its data and {@linkplain Participation#close() closes}
   * its participation, which releases everything it had claimed.
   */
  public void close() {
    synchronized (this) {
      chunks.clear();
    }
    participation.close();
  }

  /**
   * Returns the bytes of data this fake holds (what it has claimed and not released, unless it
   * collapsed or was closed).
   *
   * @return the sum of its chunks
   */
  public synchronized long heldBytes() {
    return chunks.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Returns a copy of the chunks held.
   *
   * @return timestamp to bytes, oldest first
   */
  public synchronized NavigableMap<Long, Long> chunks() {
    return Collections.unmodifiableNavigableMap(new TreeMap<>(chunks));
  }

  /**
   * Returns this fake's participation, to claim or release directly.
   *
   * @return the participation it registered with
   */
  public Participation participation() {
    return participation;
  }

  // ---------------------------------------------------------------- behaviour

  /**
   * Names this fake, for messages.
   *
   * @param newName the name
   * @return this fake
   */
  public synchronized FakeParticipant named(String newName) {
    this.name = Objects.requireNonNull(newName, "newName");
    return this;
  }

  /**
   * Sets how this fake answers reclaim requests.
   *
   * @param newAnswer the answer
   * @return this fake
   */
  public synchronized FakeParticipant answering(Answer newAnswer) {
    this.answer = Objects.requireNonNull(newAnswer, "newAnswer");
    return this;
  }

  /**
   * Makes reclaim return a stage that completes only when {@link #completePending()} is called:
   * it then does what its {@link Answer} says. Never calling it gives a participant that never
   * completes (one that the tracker must time out).
   *
   * @return this fake
   */
  public synchronized FakeParticipant completingOnDemand() {
    this.timing = Timing.ON_DEMAND;
    this.delay = null;
    return this;
  }

  /**
   * Makes reclaim complete late: its answer is carried out by a timer thread {@code delay} after
   * the request.
   *
   * @param lateBy how long after the request
   * @return this fake
   */
  public synchronized FakeParticipant completingAfter(Duration lateBy) {
    this.timing = Timing.ON_DEMAND;
    this.delay = Objects.requireNonNull(lateBy, "lateBy");
    return this;
  }

  /**
   * Makes reclaim complete its stage with its answer and then overwrite the result with the
   * opposite answer ({@link CompletableFuture#obtrudeValue}): a stage whose outcome changes after
   * it completed, which the tracker must survive.
   *
   * @return this fake
   */
  public synchronized FakeParticipant completingTwice() {
    this.timing = Timing.TWICE;
    return this;
  }

  /**
   * Makes {@link #oldestData()} report no data although the fake may hold some (a participant that
   * lies or leaks).
   *
   * @return this fake
   */
  public synchronized FakeParticipant reportingNoData() {
    this.reportsNoData = true;
    return this;
  }

  /**
   * Makes {@link #oldestData()} throw.
   *
   * @return this fake
   */
  public synchronized FakeParticipant failingOldestData() {
    this.failsOldestData = true;
    return this;
  }

  /**
   * Runs {@code hook} at the start of every {@link #oldestData()} call, outside the fake's lock
   * (for example to call back into the tracker).
   *
   * @param hook receives this fake
   * @return this fake
   */
  public synchronized FakeParticipant onOldestData(Consumer<FakeParticipant> hook) {
    this.oldestDataHook = Objects.requireNonNull(hook, "hook");
    return this;
  }

  /**
   * Runs {@code hook} at the start of every {@link #reclaim} call, after the request is recorded
   * and outside the fake's lock (for example to call back into the tracker).
   *
   * @param hook receives this fake and the request
   * @return this fake
   */
  public synchronized FakeParticipant onReclaim(BiConsumer<FakeParticipant, ReclaimRequest> hook) {
    this.reclaimHook = Objects.requireNonNull(hook, "hook");
    return this;
  }

  /**
   * Completes every stage that is waiting for it (see {@link #completingOnDemand()}), carrying out
   * the answer now.
   *
   * @return how many stages were completed
   */
  public int completePending() {
    List<Runnable> due;
    synchronized (this) {
      due = new ArrayList<>(pending);
      pending.clear();
    }
    due.forEach(Runnable::run);
    return due.size();
  }

  // ---------------------------------------------------------------- observations

  /**
   * Returns the requests received, in order.
   *
   * @return a copy of the requests
   */
  public synchronized List<ReclaimRequest> requests() {
    return List.copyOf(requests);
  }

  /**
   * Tells whether the tracker asked this fake to reclaim.
   *
   * @return {@code true} after the first request
   */
  public synchronized boolean wasAskedToReclaim() {
    return !requests.isEmpty();
  }

  /**
   * Tells whether this fake collapsed itself while answering a request.
   *
   * @return {@code true} once it answered {@link Answer#COLLAPSE}
   */
  public synchronized boolean hasCollapsed() {
    return collapsed;
  }

  /**
   * Returns how often the tracker asked for the age of the oldest data.
   *
   * @return the number of {@link #oldestData()} calls
   */
  public synchronized int oldestDataCalls() {
    return oldestDataCalls;
  }

  /**
   * Returns the name given with {@link #named(String)}, or a generated one.
   *
   * @return the name
   */
  public synchronized String name() {
    return name;
  }

  // ---------------------------------------------------------------- IsParticipant

  /**
   * {@inheritDoc}
   *
   * <p>The fake reports the timestamp of its oldest chunk, unless scripted otherwise.
   *
   * @throws IllegalStateException if scripted with {@link #failingOldestData()}
   */
  @Override
  public OptionalLong oldestData() {
    Consumer<FakeParticipant> hook;
    synchronized (this) {
      oldestDataCalls++;
      hook = oldestDataHook;
    }
    hook.accept(this);
    synchronized (this) {
      if (failsOldestData) {
        throw new IllegalStateException(name + ": oldestData() fails on purpose");
      }
      if (reportsNoData || chunks.isEmpty()) {
        return OptionalLong.empty();
      }
      return OptionalLong.of(chunks.firstKey());
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>The fake records the request, runs its hook and answers as scripted.
   *
   * @throws IllegalStateException if scripted with {@link Answer#THROW}
   */
  @Override
  public CompletionStage<Reclaimed> reclaim(ReclaimRequest request) {
    Objects.requireNonNull(request, "request");
    BiConsumer<FakeParticipant, ReclaimRequest> hook;
    Answer now;
    Timing when;
    Duration lateBy;
    synchronized (this) {
      requests.add(request);
      hook = reclaimHook;
      now = answer;
      when = timing;
      lateBy = delay;
    }
    hook.accept(this, request);
    if (now == Answer.THROW) {
      throw new IllegalStateException(name() + ": reclaim() fails on purpose");
    }
    CompletableFuture<Reclaimed> stage = new CompletableFuture<>();
    Runnable complete = () -> carryOut(now, request, stage);
    switch (when) {
      case ON_DEMAND:
        synchronized (this) {
          pending.add(complete);
        }
        if (lateBy != null) {
          CompletableFuture.delayedExecutor(lateBy.toNanos(), TimeUnit.NANOSECONDS)
              .execute(this::completePending);
        }
        break;
      case TWICE:
        complete.run();
        stage.obtrudeValue(
            stage.getNow(Reclaimed.PARTIAL) == Reclaimed.PARTIAL
                ? Reclaimed.COLLAPSING
                : Reclaimed.PARTIAL);
        break;
      default:
        complete.run();
    }
    return stage;
  }

  private void carryOut(Answer what, ReclaimRequest request, CompletableFuture<Reclaimed> stage) {
    switch (what) {
      case COLLAPSE:
        synchronized (this) {
          collapsed = true;
        }
        close();
        stage.complete(Reclaimed.COLLAPSING);
        break;
      case RELEASE_OLDEST:
        releaseOldest(request.discardUpTo(), request.bytesWanted());
        stage.complete(Reclaimed.PARTIAL);
        break;
      case PARTIAL_WITHOUT_RELEASE:
        stage.complete(Reclaimed.PARTIAL);
        break;
      default:
        stage.completeExceptionally(
            new IllegalStateException(name() + ": reclaim stage fails on purpose"));
    }
  }

  @Override
  public synchronized String toString() {
    return name + "[held=" + heldBytes() + ", chunks=" + chunks.size() + ", requests=" + requests.size() + "]";
  }
}
