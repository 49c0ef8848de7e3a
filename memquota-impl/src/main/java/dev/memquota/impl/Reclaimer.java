package dev.memquota.impl;

import dev.memquota.IsParticipant;
import dev.memquota.MemoryClock;
import dev.memquota.QuotaConfig;
import dev.memquota.ReclaimRequest;
import dev.memquota.Reclaimed;
import dev.memquota.impl.Registry.Probe;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs reclamation cycles: oldest-first victim choice with hysteresis.
 *
 * <h2>Implementation notes</h2>
 *
 * <ul>
 *   <li><b>Trigger.</b> A claim that leaves the total above the maximum calls {@link #wake()}. A
 *       wake-up that is already pending or running absorbs it ({@link #scheduled}); the claimer
 *       never waits. When a cycle finishes it clears the flag and, if a wake-up arrived since the
 *       cycle started ({@link #wokenSinceStart}), checks the total again, so a claim that raced
 *       with the end of a cycle cannot be lost. A cycle that ran out of candidates does not restart
 *       itself: the next claim over the maximum does.
 *   <li><b>Tasks.</b> A cycle is a chain of short tasks on the tracker's executor: one that builds
 *       the heap and issues the first reclaim requests, then one per victim, submitted when that
 *       victim's participants have all answered or timed out. Exactly one chain exists at a time,
 *       so the cycle state ({@link #heap}) is confined to it; executor hand-offs give the
 *       happens-before edges. Nothing ever blocks the executor thread waiting for a participant.
 *   <li><b>Heap.</b> At the start of a cycle every live participant is asked {@code oldestData()}
 *       (outside the registry lock); an account's age is the oldest of its participants'. A
 *       participant that reports no data but holds more than one cache's worth of bytes is lying or
 *       leaking, and counts as the oldest of all. Ages go stale while a cycle runs (an honest peer
 *       drains its queue), so a popped account's age is read again: an account that holds no data
 *       any more is skipped; one that has become younger than the next candidate goes back into
 *       the heap, once. A partial survivor goes back with its new age, its older entries dropped.
 *   <li><b>Victims.</b> The popped account and all its descendants (found through child links
 *       under the lock) are asked to reclaim, all at once. The request's {@code discardUpTo} is the
 *       next candidate's age, so a participant that reclaims partially keeps nothing older than the
 *       rest of the field; {@code bytesWanted} is the distance to the low-water mark.
 *   <li><b>Answers.</b> {@code COLLAPSING}, an exception, a {@code null} stage, a timeout, or a
 *       {@code PARTIAL} answer that released nothing all tear the participation down. An account
 *       closes when none of its asked participants answered a useful {@code PARTIAL}; accounts that
 *       did go back into the heap with their new age. Each {@code PARTIAL} round releases at least
 *       one byte, so a cycle always ends.
 *   <li><b>Hysteresis.</b> A cycle starts only above the maximum and stops at or below the
 *       low-water mark, or when no candidate remains. In the second case it re-arms only if a
 *       claim crossed the maximum while it ran (re-arming regardless would spin); otherwise the
 *       next claim that finds the total above the maximum starts the next cycle.
 * </ul>
 */
final class Reclaimer {
  private final Registry registry;
  private final Ledger ledger;
  private final Executor executor;
  private final MemoryClock clock;
  private final Duration reclaimTimeout;
  private final System.Logger log;
  final Counters counters = new Counters();

  private final AtomicBoolean scheduled = new AtomicBoolean();

  /**
   * Set by every {@link #wake()}, cleared when a cycle starts: whether a claim crossed the maximum
   * since the current cycle looked at the participants. A finished cycle re-arms only if so; one
   * that ran out of candidates with the total still high would otherwise restart at once, forever.
   */
  private final AtomicBoolean wokenSinceStart = new AtomicBoolean();
  private volatile boolean reclaiming;

  // Confined to the running chain of tasks.
  private PriorityQueue<Candidate> heap;
  private long cycleStartNanos;

  Reclaimer(
      Registry registry,
      Executor executor,
      MemoryClock clock,
      Duration reclaimTimeout,
      System.Logger log) {
    this.registry = registry;
    this.ledger = registry.ledger;
    this.executor = executor;
    this.clock = clock;
    this.reclaimTimeout = reclaimTimeout;
    this.log = log;
  }

  boolean isReclaiming() {
    return reclaiming;
  }

  /** Makes sure a cycle will run soon. Cheap when one is already pending; never blocks. */
  void wake() {
    wokenSinceStart.set(true);
    if (scheduled.compareAndSet(false, true)) {
      submit(this::startCycle);
    }
  }

  private void startCycle() {
    wokenSinceStart.set(false);
    List<Probe> probes;
    synchronized (registry) {
      if (registry.isShutdown() || !ledger.overMax()) {
        scheduled.set(false);
        recheck();
        return;
      }
      reclaiming = true;
      probes = registry.probes(null);
    }
    counters.cycles.incrementAndGet();
    cycleStartNanos = System.nanoTime();
    QuotaConfig cfg = ledger.config();
    log.log(
        Level.INFO,
        () ->
            "memquota: reclamation started: used="
                + ledger.total()
                + " max="
                + cfg.maxBytes()
                + " lowWater="
                + cfg.lowWaterBytes()
                + " participants="
                + probes.size());
    // Registry.probes lists each account's participations together, so an account's oldest age
    // is folded from a run of consecutive probes: no map from account to age is needed.
    List<Candidate> candidates = new ArrayList<>();
    AccountRecord account = null;
    long oldest = 0;
    boolean aged = false;
    for (Probe p : probes) {
      if (p.record().account != account) {
        if (aged) {
          candidates.add(new Candidate(oldest, account, false));
        }
        account = p.record().account;
        aged = false;
      }
      OptionalLong age = age(p);
      if (age.isPresent() && (!aged || age.getAsLong() < oldest)) {
        oldest = age.getAsLong();
        aged = true;
      }
    }
    if (aged) {
      candidates.add(new Candidate(oldest, account, false));
    }
    heap = new PriorityQueue<>(candidates); // heapified in O(N), ordered by Candidate.compareTo
    nextVictim();
  }

  /** Pops victims until one has participants to ask, then asks them; or finishes the cycle. */
  private void nextVictim() {
    for (; ; ) {
      QuotaConfig cfg = ledger.config();
      long used = ledger.total();
      // With the heap empty the total may still be above low water (memory held by participants
      // not yet bound, or reporting no data). finishCycle re-arms only if a claim crossed the
      // maximum while this cycle ran (see recheck), so this neither spins nor loses that claim.
      if (registry.isShutdown() || used <= cfg.lowWaterBytes() || heap.isEmpty()) {
        finishCycle();
        return;
      }
      Candidate c = heap.poll();
      if (c.account().isClosed()) {
        continue;
      }
      // Read again even for a revalidated entry: its owner may have drained it since, and an
      // account without data must not be asked (it would answer PARTIAL with nothing to release
      // and be collapsed for it).
      OptionalLong fresh = accountAge(c.account());
      if (fresh.isEmpty()) {
        continue; // it drained everything since it went into the heap
      }
      if (!c.revalidated()) {
        Candidate next = heap.peek();
        if (next != null && fresh.getAsLong() > next.age()) {
          heap.add(new Candidate(fresh.getAsLong(), c.account(), true));
          continue;
        }
      }
      List<AccountRecord> victims = registry.withDescendants(c.account());
      List<Probe> targets = registry.probes(victims);
      if (targets.isEmpty()) {
        closeReclaimed(victims, Set.of());
        continue;
      }
      long discardUpTo = heap.isEmpty() ? clock.nanoTime() : heap.peek().age();
      ReclaimRequest request = new ReclaimRequest(discardUpTo, Math.max(0, used - cfg.lowWaterBytes()));
      ask(victims, targets, request);
      return;
    }
  }

  /** Sends {@code request} to every target; the answers continue the chain in a new task. */
  private void ask(List<AccountRecord> victims, List<Probe> targets, ReclaimRequest request) {
    List<Asked> asked = new ArrayList<>(targets.size());
    CompletableFuture<?>[] answers = new CompletableFuture<?>[targets.size()];
    for (int i = 0; i < targets.size(); i++) {
      Probe t = targets.get(i);
      long usedBefore = Ledger.used(t.record());
      long heldBefore = Ledger.held(t.record());
      CompletableFuture<Reclaimed> answer = call(t.participant(), request);
      asked.add(new Asked(t.record(), usedBefore, heldBefore, answer));
      answers[i] = answer;
    }
    // The continuation captures only records, never participants: one may vanish meanwhile.
    CompletableFuture.allOf(answers)
        .whenComplete((ignored, failure) -> submit(() -> afterAnswers(victims, asked)));
  }

  private CompletableFuture<Reclaimed> call(IsParticipant participant, ReclaimRequest request) {
    CompletableFuture<Reclaimed> answer = new CompletableFuture<>();
    try {
      CompletionStage<Reclaimed> stage = participant.reclaim(request);
      if (stage == null) {
        answer.completeExceptionally(new NullPointerException("reclaim returned null"));
      } else {
        stage.whenComplete(
            (r, e) -> {
              if (e != null) {
                answer.completeExceptionally(e);
              } else {
                answer.complete(r);
              }
            });
      }
    } catch (RuntimeException | Error e) {
      answer.completeExceptionally(e);
    }
    return answer.orTimeout(reclaimTimeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void afterAnswers(List<AccountRecord> victims, List<Asked> asked) {
    Set<AccountRecord> survivors = new HashSet<>();
    List<Asked> collapsed = new ArrayList<>();
    for (Asked a : asked) {
      if (usefulPartial(a)) {
        counters.bytesReclaimed.addAndGet(Math.max(0, a.heldBefore() - Ledger.held(a.record())));
        survivors.add(a.record().account);
      } else {
        collapsed.add(a);
      }
    }
    for (Asked a : collapsed) {
      if (survivors.contains(a.record().account) || Ledger.isClosed(a.record())) {
        // Its account lives on (a sibling reclaimed partially), or it closed its participation
        // itself: close (or count) just this participation.
        collapse(a.record(), a.heldBefore());
      } else {
        // closeReclaimed below closes it with its account, so that it reports the account.
        counters.participantsCollapsed.incrementAndGet();
      }
    }
    closeReclaimed(victims, survivors);
    for (AccountRecord account : survivors) {
      if (!account.isClosed()) {
        // Its older entries are stale now (a descendant may also have an entry of its own).
        heap.removeIf(e -> e.account() == account);
        accountAge(account).ifPresent(age -> heap.add(new Candidate(age, account, true)));
      }
    }
    nextVictim();
  }

  /** Whether the answer was {@code PARTIAL} and the participation really gave memory back. */
  private boolean usefulPartial(Asked a) {
    CompletableFuture<Reclaimed> answer = a.answer();
    if (answer.isCompletedExceptionally()) {
      Throwable why = answer.handle((r, e) -> e).join();
      log.log(
          Level.WARNING,
          "memquota: participant in "
              + a.record().account.describe()
              + " did not answer a reclaim request properly ("
              + why
              + "); treating it as collapsed");
      return false;
    }
    if (answer.join() != Reclaimed.PARTIAL || Ledger.isClosed(a.record())) {
      return false;
    }
    if (Ledger.used(a.record()) >= a.usedBefore()) {
      log.log(
          Level.WARNING,
          "memquota: participant in "
              + a.record().account.describe()
              + " answered PARTIAL but released nothing; treating it as collapsed");
      return false;
    }
    return true;
  }

  /** Closes a participation as collapsed; if it was closed already, counts what it held before. */
  private void collapse(ParticipationRecord record, long heldBefore) {
    long released = registry.closeParticipation(record, Closure.PARTICIPANT_RECLAIMED);
    counters.participantsCollapsed.incrementAndGet();
    counters.bytesReclaimed.addAndGet(released >= 0 ? released : heldBefore);
  }

  /** Closes each victim account that has no surviving (partially reclaimed) participant. */
  private void closeReclaimed(List<AccountRecord> victims, Set<AccountRecord> survivors) {
    for (AccountRecord account : victims) {
      if (!survivors.contains(account)) {
        long released = registry.closeAccount(account, Closure.ACCOUNT_RECLAIMED);
        if (released >= 0) {
          counters.accountsReclaimed.incrementAndGet();
          counters.bytesReclaimed.addAndGet(released);
        }
      }
    }
  }

  /** The age of an account's oldest data now; empty if it holds none. */
  private OptionalLong accountAge(AccountRecord account) {
    OptionalLong oldest = OptionalLong.empty();
    for (Probe p : registry.probes(List.of(account))) {
      OptionalLong age = age(p);
      if (age.isPresent() && (oldest.isEmpty() || age.getAsLong() < oldest.getAsLong())) {
        oldest = age;
      }
    }
    return oldest;
  }

  /**
   * Asks a participant for its oldest data. A participant that throws is collapsed; one that
   * claims to hold nothing while holding more than a cache could explain counts as oldest.
   */
  private OptionalLong age(Probe p) {
    OptionalLong age;
    try {
      age = p.participant().oldestData();
    } catch (RuntimeException | Error e) {
      log.log(
          Level.WARNING,
          "memquota: oldestData() of a participant in "
              + p.record().account.describe()
              + " threw; treating it as collapsed",
          e);
      collapse(p.record(), Ledger.held(p.record()));
      return OptionalLong.empty();
    }
    if (age == null || age.isEmpty()) {
      return Ledger.used(p.record()) > Ledger.CACHE_MAX
          ? OptionalLong.of(Long.MIN_VALUE)
          : OptionalLong.empty();
    }
    return age;
  }

  private void finishCycle() {
    heap = null;
    if (reclaiming) {
      reclaiming = false;
      long millis = (System.nanoTime() - cycleStartNanos) / 1_000_000;
      QuotaConfig cfg = ledger.config();
      log.log(
          Level.INFO,
          () ->
              "memquota: reclamation finished in "
                  + millis
                  + " ms: used="
                  + ledger.total()
                  + " max="
                  + cfg.maxBytes()
                  + " lowWater="
                  + cfg.lowWaterBytes()
                  + " accountsReclaimed="
                  + counters.accountsReclaimed.get()
                  + " participantsCollapsed="
                  + counters.participantsCollapsed.get());
    }
    scheduled.set(false);
    recheck();
  }

  /**
   * After clearing {@link #scheduled}: a claim may have crossed the maximum meanwhile, its wake-up
   * absorbed by this cycle. Without such a claim, a cycle that ended over the maximum ran out of
   * candidates; the next claim over the maximum starts the next one.
   */
  private void recheck() {
    if (!registry.isShutdown() && wokenSinceStart.get() && ledger.overMax()) {
      wake();
    }
  }

  private void submit(Runnable step) {
    try {
      executor.execute(() -> runGuarded(step));
    } catch (RejectedExecutionException e) {
      abandon(e);
    }
  }

  private void runGuarded(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException | Error e) {
      abandon(e);
    }
  }

  /** An internal failure or a rejecting executor ends the cycle; the next claim over max retries. */
  private void abandon(Throwable why) {
    heap = null;
    reclaiming = false;
    scheduled.set(false);
    if (!registry.isShutdown()) {
      log.log(Level.ERROR, "memquota: reclamation cycle abandoned", why);
    }
  }

  /** A heap entry: an account and the age of its oldest data. */
  private record Candidate(long age, AccountRecord account, boolean revalidated)
      implements Comparable<Candidate> {
    /** Oldest first; ties broken by account id, so that the order is total and repeatable. */
    @Override
    public int compareTo(Candidate other) {
      int byAge = Long.compare(age, other.age);
      return byAge != 0 ? byAge : Long.compare(account.id, other.account.id);
    }
  }

  /** A participation that was asked to reclaim, with its counts at that moment. */
  private record Asked(
      ParticipationRecord record,
      long usedBefore,
      long heldBefore,
      CompletableFuture<Reclaimed> answer) {}
}
