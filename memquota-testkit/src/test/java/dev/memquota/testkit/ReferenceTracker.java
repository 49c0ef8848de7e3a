package dev.memquota.testkit;

import dev.memquota.Account;
import dev.memquota.AccountClosedException;
import dev.memquota.IsParticipant;
import dev.memquota.MemoryClock;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.ParticipantClosedException;
import dev.memquota.Participation;
import dev.memquota.QuotaConfig;
import dev.memquota.ReclaimRequest;
import dev.memquota.Reclaimed;
import dev.memquota.TrackerShutdownException;
import dev.memquota.TrackerStats;
import dev.memquota.spi.TrackerSettings;
import dev.memquota.testkit.ReferenceProvider.Flaw;
import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The reference engine: the semantics of memquota with nothing clever in the way.
 *
 * <p><b>Implementation notes.</b>
 *
 * <ul>
 *   <li>One lock ({@link #lock}) guards every field; every public method takes it briefly. There
 *       are no caches: {@code usedBytes} is exactly the sum of what live participations hold.
 *   <li>A participation that holds no participant yet (its factory is still running) is never
 *       asked anything. Participants are held weakly; instead of a reference queue, every cycle
 *       step, account creation and registration scans all participations for cleared references.
 *   <li>A claim that leaves the total above the maximum queues one {@code startCycle} task (or,
 *       during a cycle, asks for another cycle once this one ends).
 *   <li>A cycle is a chain of steps, each a task. A step re-reads the age of every participant
 *       (outside the lock), picks the oldest account, and asks the participants of it and of all its
 *       descendants to reclaim. When all answers are in (each bounded by the reclaim timeout, by the
 *       JDK's timer), the next step is queued on the executor: so a cycle cannot loop inside one
 *       task, and with a {@link ManualExecutor} it runs only when the test runs tasks.
 *   <li>Re-reading every age at every step makes the "re-read the popped account's age" rule of
 *       the real engine hold trivially.
 * </ul>
 *
 * <p>{@link Flaw}s switch single rules off; each is one {@code if} at the place it breaks.
 */
final class ReferenceTracker implements MemoryQuotaTracker {

  /** A participant reporting no data while holding more than this is treated as oldest of all. */
  static final long CACHE_BYTES = 16 * 1024;

  private static final Cleaner CLEANER = Cleaner.create();

  private final Object lock = new Object();
  private final Set<Flaw> flaws;
  private final MemoryClock clock;
  private final Executor executor;
  private final ExecutorService ownExecutor;
  private final Duration reclaimTimeout;

  // Everything below is guarded by lock.
  private QuotaConfig config;
  private boolean closed;
  private long used;
  private long nextId;
  private final List<Acct> accounts = new ArrayList<>();
  private boolean cycleQueued;
  private boolean reclaiming;
  private boolean wakeAfterCycle;
  private long cycles;
  private long accountsReclaimed;
  private long participantsCollapsed;
  private long bytesReclaimed;

  ReferenceTracker(TrackerSettings settings, Set<Flaw> flaws) {
    this.flaws = flaws;
    this.config = settings.config();
    this.clock = settings.clock();
    this.reclaimTimeout = settings.reclaimTimeout();
    this.ownExecutor =
        settings.executor().isPresent()
            ? null
            : Executors.newSingleThreadExecutor(
                r -> {
                  Thread t = new Thread(r, "reference-memquota");
                  t.setDaemon(true);
                  return t;
                });
    this.executor = settings.executor().orElse(ownExecutor);
  }

  // ------------------------------------------------------------------ tracker

  @Override
  public Account newAccount() {
    synchronized (lock) {
      requireOpen();
      return newHandle(List.of());
    }
  }

  @Override
  public Account newAccount(Account parent) {
    Acct p = recordOf(Objects.requireNonNull(parent, "parent"));
    synchronized (lock) {
      requireOpen();
      requireOpen(p);
      return newHandle(List.of(p));
    }
  }

  @Override
  public long usedBytes() {
    synchronized (lock) {
      return used;
    }
  }

  @Override
  public QuotaConfig config() {
    synchronized (lock) {
      return config;
    }
  }

  @Override
  public void reconfigure(QuotaConfig newConfig) {
    Objects.requireNonNull(newConfig, "config");
    if (newConfig.isUnlimited()) {
      throw new IllegalArgumentException("a live tracker cannot become unlimited");
    }
    synchronized (lock) {
      requireOpen();
      config = newConfig;
      wakeIfOver();
    }
  }

  @Override
  public TrackerStats stats() {
    synchronized (lock) {
      long participants =
          accounts.stream().flatMap(a -> a.parts.stream()).filter(p -> !p.closed).count();
      return new TrackerStats(
          used,
          config.maxBytes(),
          config.lowWaterBytes(),
          accounts.size(),
          participants,
          reclaiming,
          cycles,
          accountsReclaimed,
          participantsCollapsed,
          bytesReclaimed);
    }
  }

  @Override
  public MemoryClock clock() {
    return clock;
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      for (Acct a : new ArrayList<>(accounts)) {
        closeAccount(a, false);
      }
      closed = true;
      used = 0;
      reclaiming = false;
    }
    if (ownExecutor != null) {
      ownExecutor.shutdownNow();
    }
  }

  // ------------------------------------------------------------------ records (guarded by lock)

  /** An account's record; the user holds a {@link Handle}, which the Cleaner watches. */
  private static final class Acct {
    final long id;
    final List<Acct> parents = new ArrayList<>();
    final List<Acct> children = new ArrayList<>();
    final List<Part> parts = new ArrayList<>();
    boolean closed;
    boolean reclaimed;

    Acct(long id) {
      this.id = id;
    }
  }

  private Account newHandle(List<Acct> parents) {
    Acct rec = new Acct(nextId++);
    for (Acct p : parents) {
      link(rec, p);
    }
    accounts.add(rec);
    tearDownCollected();
    Handle handle = new Handle(rec);
    CLEANER.register(handle, closeWhenUnreachable(rec));
    return handle;
  }

  /** Kept apart from Handle so that the action does not capture the handle. */
  private Runnable closeWhenUnreachable(Acct rec) {
    return () -> {
      synchronized (lock) {
        closeAccount(rec, false);
      }
    };
  }

  private static void link(Acct child, Acct parent) {
    child.parents.add(parent);
    parent.children.add(child);
  }

  private void closeAccount(Acct a, boolean reclaimed) {
    if (a.closed) {
      return;
    }
    a.closed = true;
    a.reclaimed = reclaimed;
    accounts.remove(a);
    if (reclaimed) {
      accountsReclaimed++;
    }
    for (Part p : a.parts) {
      if (!p.closed) {
        if (reclaimed || !flaws.contains(Flaw.KEEPS_MEMORY_ON_ACCOUNT_CLOSE)) {
          used -= p.held;
        }
        p.held = 0;
        p.closed = true;
      }
    }
  }

  /** Forgets a participation's memory and closes it. */
  private void closePart(Part p, boolean reclaimed) {
    if (!p.closed) {
      used -= p.held;
      p.releasedSinceAsked += p.held;
      p.held = 0;
      p.closed = true;
      p.reclaimed = reclaimed;
    }
  }

  private void tearDownCollected() {
    if (flaws.contains(Flaw.LEAKS_COLLECTED_PARTICIPANTS)) {
      return;
    }
    for (Acct a : accounts) {
      for (Part p : a.parts) {
        if (p.ref != null && p.ref.get() == null) {
          closePart(p, false);
        }
      }
    }
  }

  private Acct recordOf(Account account) {
    if (account instanceof Handle && ((Handle) account).tracker() == this) {
      return ((Handle) account).rec;
    }
    throw new IllegalArgumentException(account + " belongs to another tracker");
  }

  private void requireOpen() {
    if (closed) {
      throw new TrackerShutdownException("the tracker is closed");
    }
  }

  private void requireOpen(Acct a) {
    requireOpen();
    if (a.closed) {
      throw new AccountClosedException("account " + a.id + " is closed", a.reclaimed);
    }
  }

  private static Set<Acct> descendants(Acct a) {
    Set<Acct> found = new LinkedHashSet<>();
    Deque<Acct> todo = new ArrayDeque<>(List.of(a));
    while (!todo.isEmpty()) {
      Acct next = todo.pop();
      if (found.add(next)) {
        todo.addAll(next.children);
      }
    }
    return found;
  }

  private static Set<Acct> ancestors(Acct a) {
    Set<Acct> found = new LinkedHashSet<>();
    Deque<Acct> todo = new ArrayDeque<>(a.parents);
    while (!todo.isEmpty()) {
      Acct next = todo.pop();
      if (found.add(next)) {
        todo.addAll(next.parents);
      }
    }
    return found;
  }

  // ------------------------------------------------------------------ handles

  /** What users hold. */
  private final class Handle implements Account {
    final Acct rec;

    Handle(Acct rec) {
      this.rec = rec;
    }

    ReferenceTracker tracker() {
      return ReferenceTracker.this;
    }

    @Override
    public Account newChild() {
      return newAccount(this);
    }

    @Override
    public void addParent(Account parent) {
      Acct p = recordOf(Objects.requireNonNull(parent, "parent"));
      synchronized (lock) {
        requireOpen(rec);
        requireOpen(p);
        if (p == rec) {
          throw new IllegalArgumentException("an account cannot be its own parent");
        }
        if (rec.parents.contains(p)) {
          throw new IllegalArgumentException("already a parent");
        }
        if (descendants(rec).contains(p)) {
          throw new IllegalArgumentException("the link would make a cycle");
        }
        link(rec, p);
      }
    }

    @Override
    public Participation register(IsParticipant participant) {
      Objects.requireNonNull(participant, "participant");
      Part p = newPart();
      synchronized (lock) {
        p.ref = new WeakReference<>(participant);
      }
      return p;
    }

    @Override
    public <P extends IsParticipant> P register(
        Function<? super Participation, ? extends P> factory) {
      Objects.requireNonNull(factory, "factory");
      Part p = newPart();
      try {
        P participant =
            Objects.requireNonNull(factory.apply(p), "the participant factory returned null");
        synchronized (lock) {
          p.ref = new WeakReference<>(participant);
        }
        return participant;
      } catch (RuntimeException | Error e) {
        p.close();
        throw e;
      }
    }

    private Part newPart() {
      synchronized (lock) {
        requireOpen(rec);
        tearDownCollected();
        Part p = new Part(rec);
        rec.parts.add(p);
        return p;
      }
    }

    @Override
    public boolean isClosed() {
      synchronized (lock) {
        return rec.closed;
      }
    }

    @Override
    public void close() {
      synchronized (lock) {
        closeAccount(rec, false);
      }
    }

    @Override
    public String toString() {
      return "ReferenceAccount[" + rec.id + "]";
    }
  }

  /** A participation: its own record and handle at once (it may keep its account's record). */
  private final class Part implements Participation {
    final Acct acct;
    WeakReference<IsParticipant> ref;
    long held;
    boolean closed;
    boolean reclaimed;
    long releasedSinceAsked;

    Part(Acct acct) {
      this.acct = acct;
    }

    @Override
    public void claim(long bytes) {
      requireNonNegative(bytes);
      synchronized (lock) {
        requireOpen(acct);
        if (closed) {
          throw new ParticipantClosedException("the participation is closed", reclaimed);
        }
        long newHeld;
        long newUsed;
        try {
          newHeld = Math.addExact(held, bytes);
          newUsed = Math.addExact(used, bytes);
        } catch (ArithmeticException e) {
          throw new IllegalArgumentException("claiming " + bytes + " would overflow", e);
        }
        held = newHeld;
        used = newUsed;
        wakeIfOver();
      }
    }

    @Override
    public void release(long bytes) {
      requireNonNegative(bytes);
      synchronized (lock) {
        if (ReferenceTracker.this.closed || acct.closed || closed) {
          return;
        }
        if (bytes > held) {
          throw new IllegalArgumentException("releasing " + bytes + " but holding " + held);
        }
        held -= bytes;
        used -= bytes;
        releasedSinceAsked += bytes;
      }
    }

    @Override
    public void close() {
      synchronized (lock) {
        if (!ReferenceTracker.this.closed && !acct.closed) {
          closePart(this, false);
        }
        closed = true;
      }
    }
  }

  private static void requireNonNegative(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must be >= 0, was " + bytes);
    }
  }

  // ------------------------------------------------------------------ reclamation

  private void wakeIfOver() {
    if (closed || used <= config.maxBytes()) {
      return;
    }
    if (reclaiming) {
      wakeAfterCycle = true;
    } else if (!cycleQueued) {
      cycleQueued = true;
      submit(this::startCycle);
    }
  }

  private void submit(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      // Only after close(), when the own executor is shut down: nothing left to do.
    }
  }

  private void startCycle() {
    synchronized (lock) {
      cycleQueued = false;
      if (closed || used <= config.maxBytes()) {
        return;
      }
      reclaiming = true;
      cycles++;
    }
    step();
  }

  private void endCycle() {
    reclaiming = false;
    if (wakeAfterCycle) {
      wakeAfterCycle = false;
      wakeIfOver();
    }
  }

  private long target() {
    return flaws.contains(Flaw.STOPS_AT_MAX) ? config.maxBytes() : config.lowWaterBytes();
  }

  /** One victim: read every age, pick the oldest account, ask it and its descendants. */
  private void step() {
    List<Part> live = new ArrayList<>();
    synchronized (lock) {
      if (closed) {
        return;
      }
      tearDownCollected();
      if (used <= target()) {
        endCycle();
        return;
      }
      for (Acct a : accounts) {
        for (Part p : a.parts) {
          if (!p.closed && p.ref != null) {
            live.add(p);
          }
        }
      }
    }
    Map<Part, Long> ages = readAges(live);
    List<Part> asked = new ArrayList<>();
    List<IsParticipant> participants = new ArrayList<>();
    Set<Acct> victims;
    ReclaimRequest request;
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (used <= target()) {
        endCycle();
        return;
      }
      Map<Acct, Long> accountAge = new TreeMap<>(Comparator.comparingLong((Acct a) -> a.id));
      ages.forEach(
          (p, age) -> {
            if (!p.closed && !p.acct.closed) {
              accountAge.merge(p.acct, age, Math::min);
            }
          });
      if (accountAge.isEmpty()) {
        endCycle();
        return;
      }
      Comparator<Map.Entry<Acct, Long>> oldestFirst = Map.Entry.comparingByValue();
      List<Map.Entry<Acct, Long>> order = new ArrayList<>(accountAge.entrySet());
      order.sort(flaws.contains(Flaw.YOUNGEST_FIRST) ? oldestFirst.reversed() : oldestFirst);
      Acct victim = order.get(0).getKey();
      long discardUpTo = order.size() > 1 ? order.get(1).getValue() : clock.nanoTime();
      request = new ReclaimRequest(discardUpTo, used - config.lowWaterBytes());
      victims = victimSet(victim);
      for (Acct a : victims) {
        for (Part p : a.parts) {
          IsParticipant participant = p.ref == null ? null : p.ref.get();
          if (!p.closed && participant != null) {
            p.releasedSinceAsked = 0;
            asked.add(p);
            participants.add(participant);
          }
        }
      }
    }
    List<CompletableFuture<Reclaimed>> answers = new ArrayList<>();
    for (IsParticipant participant : participants) {
      answers.add(ask(participant, request));
    }
    CompletableFuture.allOf(answers.toArray(new CompletableFuture<?>[0]))
        .whenComplete((ignored, failure) -> submit(() -> finishStep(victims, asked, answers)));
  }

  private Map<Part, Long> readAges(List<Part> live) {
    Map<Part, Long> ages = new HashMap<>();
    for (Part p : live) {
      IsParticipant participant = p.ref.get();
      if (participant == null) {
        continue;
      }
      OptionalLong age;
      try {
        if (flaws.contains(Flaw.CALLS_BACK_UNDER_LOCK)) {
          synchronized (lock) {
            age = participant.oldestData();
          }
        } else {
          age = participant.oldestData();
        }
      } catch (RuntimeException e) {
        synchronized (lock) {
          if (!p.closed) {
            participantsCollapsed++;
            bytesReclaimed += p.held;
            closePart(p, true);
          }
        }
        continue;
      }
      synchronized (lock) {
        if (age.isPresent()) {
          ages.put(p, age.getAsLong());
        } else if (p.held > CACHE_BYTES) {
          ages.put(p, Long.MIN_VALUE);
        }
      }
    }
    return ages;
  }

  private Set<Acct> victimSet(Acct victim) {
    Set<Acct> set = new LinkedHashSet<>();
    if (flaws.contains(Flaw.IGNORES_DESCENDANTS)) {
      set.add(victim);
    } else {
      set.addAll(descendants(victim));
    }
    if (flaws.contains(Flaw.RECLAIMS_ANCESTORS)) {
      set.addAll(ancestors(victim));
    }
    set.removeIf(a -> a.closed);
    return set;
  }

  /** Asks one participant; whatever goes wrong becomes an exceptional answer. */
  private CompletableFuture<Reclaimed> ask(IsParticipant participant, ReclaimRequest request) {
    CompletableFuture<Reclaimed> answer = new CompletableFuture<>();
    try {
      CompletionStage<Reclaimed> stage = participant.reclaim(request);
      stage.whenComplete(
          (result, failure) -> {
            if (failure != null) {
              answer.completeExceptionally(failure);
            } else {
              answer.complete(result);
            }
          });
    } catch (RuntimeException e) {
      answer.completeExceptionally(e);
    }
    if (!flaws.contains(Flaw.NEVER_TIMES_OUT)) {
      answer.orTimeout(reclaimTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }
    return answer;
  }

  private void finishStep(
      Set<Acct> victims, List<Part> asked, List<CompletableFuture<Reclaimed>> answers) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      for (int i = 0; i < asked.size(); i++) {
        Part p = asked.get(i);
        Reclaimed result = answers.get(i).isCompletedExceptionally() ? null : answers.get(i).join();
        boolean released = p.releasedSinceAsked > 0 || flaws.contains(Flaw.TRUSTS_EMPTY_PARTIAL);
        bytesReclaimed += p.releasedSinceAsked;
        if (result != Reclaimed.PARTIAL || !released) {
          participantsCollapsed++;
          bytesReclaimed += p.held;
          closePart(p, true);
          p.reclaimed = true;
        }
      }
      for (Acct a : victims) {
        boolean survivor = asked.stream().anyMatch(p -> p.acct == a && !p.closed);
        if (!survivor) {
          closeAccount(a, true);
        }
      }
    }
    step();
  }
}
