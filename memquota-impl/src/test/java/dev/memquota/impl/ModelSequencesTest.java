package dev.memquota.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.memquota.Account;
import dev.memquota.AccountClosedException;
import dev.memquota.IsParticipant;
import dev.memquota.MemoryQuotaException;
import dev.memquota.ParticipantClosedException;
import dev.memquota.Participation;
import dev.memquota.QuotaConfig;
import dev.memquota.ReclaimRequest;
import dev.memquota.Reclaimed;
import dev.memquota.TrackerStats;
import dev.memquota.spi.TrackerSettings;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Model-based randomized test: random sequences of operations run against the engine and against a
 * small reference model that knows nothing of the engine's internals but the documented cache rule
 * (refill to 3/4 of 16 KiB, return down to 1/4). After every step the two must agree exactly: each
 * participation's used bytes and cache, which handles are closed and why, the tracker's total and
 * its tables ({@link Tracker#checkConsistency()}).
 *
 * <p>Reclamation runs task by task on a hand-driven executor. For every task that asks
 * participants to reclaim (a <em>round</em>), the model checks, from its own view taken just
 * before: the total was above the low-water mark; the first account asked is the open account
 * with the oldest data (ties to the older account); the accounts asked are exactly it and its
 * descendants, never an ancestor; and afterwards exactly the victims that did not reclaim
 * partially are closed. Once reclamation settles, the total is at or below the low-water mark
 * unless no candidate remains.
 *
 * <p>Reproduce one sequence with {@code -Dmemquota.seed=<seed printed on failure>}; change the
 * number with {@code -Dmemquota.model.sequences=}.
 */
class ModelSequencesTest {
  private static final long KIB = 1024;
  private static final long MAX = 512 * KIB;
  private static final long LOW = 384 * KIB;
  private static final long CACHE_MAX = 16 * KIB;
  private static final long REFILL = CACHE_MAX * 3 / 4;
  private static final long RETAIN = CACHE_MAX / 4;
  /** Tasks one settling may run before the test calls it a livelock. */
  private static final int MAX_TASKS = 5_000;

  @BeforeAll
  static void quiet() {
    StressSupport.quietEngineLog(); // a cycle logs at INFO; there are tens of thousands
  }

  @AfterAll
  static void restore() {
    StressSupport.restoreEngineLog();
  }

  static final AtomicLong STEPS = new AtomicLong();
  static final AtomicLong ROUNDS = new AtomicLong();
  static final AtomicLong GCS = new AtomicLong();

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void randomSequencesAgreeWithTheModel() {
    String one = System.getProperty("memquota.seed");
    if (one != null) {
      runSequence(Long.parseLong(one.trim()));
      return;
    }
    int count = Integer.getInteger("memquota.model.sequences", 10_000);
    long master = new SplittableRandom().nextLong();
    SplittableRandom seeds = new SplittableRandom(master);
    long t0 = System.nanoTime();
    for (int i = 0; i < count; i++) {
      runSequence(seeds.nextLong());
    }
    System.out.printf(
        "ModelSequencesTest: %d sequences, %d steps, %d reclamation rounds, %d real GCs in %d ms"
            + " (master seed %d)%n",
        count, STEPS.get(), ROUNDS.get(), GCS.get(), (System.nanoTime() - t0) / 1_000_000, master);
  }

  private static void runSequence(long seed) {
    Sequence s = new Sequence(seed);
    try {
      s.run();
    } catch (Throwable e) {
      AssertionError failure =
          new AssertionError(
              "sequence failed; reproduce with -Dmemquota.seed="
                  + seed
                  + "\n  last steps: "
                  + String.join("\n    ", s.log),
              e);
      throw failure;
    } finally {
      s.tracker.close();
    }
  }

  /** One random sequence: the engine, the model, and the steps. */
  private static final class Sequence {
    final SplittableRandom rnd;
    final AtomicLong now = new AtomicLong(3_600_000_000_000L);
    final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    final Tracker tracker;
    final List<MAccount> accounts = new ArrayList<>();
    final List<MPart> parts = new ArrayList<>();
    final ArrayDeque<String> log = new ArrayDeque<>();
    final boolean gcDrops;
    /** Participants asked to reclaim during the current task, in order. */
    final List<MPart> asked = new ArrayList<>();
    final List<ReclaimRequest> requests = new ArrayList<>();

    Sequence(long seed) {
      rnd = new SplittableRandom(seed);
      gcDrops = rnd.nextInt(100) == 0;
      tracker =
          new Tracker(
              new TrackerSettings(
                  QuotaConfig.builder().maxBytes(MAX).lowWaterBytes(LOW).build(),
                  now::get,
                  tasks::add,
                  Duration.ofHours(1)));
    }

    void note(String step) {
      log.add(step);
      if (log.size() > 25) {
        log.poll();
      }
    }

    void run() {
      int steps = 20 + rnd.nextInt(60);
      for (int i = 0; i < steps; i++) {
        step();
        STEPS.incrementAndGet();
        compare();
      }
      note("final settle");
      settle();
      compare();
    }

    void step() {
      int r = rnd.nextInt(100);
      if (r < 8 || accounts.isEmpty()) {
        newAccount(null);
      } else if (r < 13) {
        newAccount(pick(accounts));
      } else if (r < 17) {
        addParent(pick(accounts), pick(accounts));
      } else if (r < 27) {
        register(pick(accounts));
      } else if (r < 55 && !parts.isEmpty()) {
        claim(pick(parts), size());
      } else if (r < 70 && !parts.isEmpty()) {
        MPart p = pick(parts);
        release(p, p.used == 0 ? 1 : 1 + rnd.nextLong(p.used + (rnd.nextInt(20) == 0 ? 10 : 0)));
      } else if (r < 73 && !parts.isEmpty()) {
        closeParticipation(pick(parts));
      } else if (r < 76) {
        closeAccount(pick(accounts));
      } else if (r < 79 && !parts.isEmpty()) {
        drop(pick(parts));
      } else if (r < 88) {
        long d = rnd.nextInt(4) == 0 ? 0 : 1 + rnd.nextLong(1_000_000_000L);
        note("advance clock " + d);
        now.addAndGet(d);
      } else {
        note("run reclamation");
        settle();
      }
    }

    long size() {
      int k = rnd.nextInt(10);
      if (k < 3) {
        return 1 + rnd.nextLong(4 * KIB);
      } else if (k < 7) {
        return 1 + rnd.nextLong(64 * KIB);
      }
      return 64 * KIB + rnd.nextLong(300 * KIB);
    }

    <T> T pick(List<T> list) {
      return list.get(rnd.nextInt(list.size()));
    }

    // ---- operations ------------------------------------------------------------------------

    void newAccount(MAccount parent) {
      note("newAccount(parent=" + (parent == null ? "-" : parent.id) + ")");
      if (parent == null) {
        Account a = tracker.newAccount();
        accounts.add(new MAccount(a));
        return;
      }
      MemoryQuotaException expected = parent.expectedFailure();
      try {
        Account a = parent.handle.newChild();
        if (expected != null) {
          fail("newChild on " + parent + " should have failed with " + expected);
        }
        MAccount child = new MAccount(a);
        accounts.add(child);
        child.parents.add(parent);
        parent.children.add(child);
      } catch (MemoryQuotaException e) {
        sameFailure(expected, e);
      }
    }

    void addParent(MAccount child, MAccount parent) {
      note("addParent(" + child.id + " <- " + parent.id + ")");
      MemoryQuotaException closed =
          child.expectedFailure() != null ? child.expectedFailure() : parent.expectedFailure();
      boolean illegal =
          closed == null
              && (child == parent
                  || child.parents.contains(parent)
                  || child.descendants().contains(parent));
      try {
        child.handle.addParent(parent.handle);
        if (closed != null || illegal) {
          fail("addParent should have failed: closed=" + closed + " illegal=" + illegal);
        }
        child.parents.add(parent);
        parent.children.add(child);
      } catch (MemoryQuotaException e) {
        sameFailure(closed, e);
      } catch (IllegalArgumentException e) {
        assertTrue(illegal, "unexpected " + e);
      }
    }

    void register(MAccount account) {
      boolean liar = rnd.nextInt(8) == 0;
      boolean partial = rnd.nextInt(3) == 0;
      boolean factory = rnd.nextBoolean();
      note("register(account " + account.id + ", liar=" + liar + ", partial=" + partial + ")");
      MemoryQuotaException expected = account.expectedFailure();
      MPart part = new MPart(account, liar, partial);
      try {
        Chunks c;
        if (factory) {
          c = account.handle.register(pp -> new Chunks(part, pp));
        } else {
          c = new Chunks(part, null);
          c.participation = account.handle.register(c);
        }
        if (expected != null) {
          fail("register should have failed with " + expected);
        }
        part.bind(c);
        parts.add(part);
        account.parts.add(part);
      } catch (MemoryQuotaException e) {
        sameFailure(expected, e);
      }
    }

    void claim(MPart p, long bytes) {
      note("claim(" + p + ", " + bytes + ")");
      MemoryQuotaException expected = p.expectedFailure();
      if (p.strong == null) {
        return; // dropped: nobody claims through it any more
      }
      try {
        p.strong.claim(bytes, now.get());
        if (expected != null) {
          fail("claim should have failed with " + expected);
        }
        p.modelClaim(bytes);
      } catch (MemoryQuotaException e) {
        sameFailure(expected, e);
      }
    }

    void release(MPart p, long bytes) {
      note("release(" + p + ", " + bytes + ")");
      if (p.strong == null) {
        return;
      }
      boolean tooMuch = p.open() && bytes > p.used;
      try {
        p.strong.release(bytes);
        assertTrue(!tooMuch, "release of more than held must throw");
        if (p.open()) {
          p.modelRelease(bytes);
        }
      } catch (IllegalArgumentException e) {
        assertTrue(tooMuch, "unexpected " + e);
        assertTrue(e.getMessage().contains(Long.toString(bytes)), e.getMessage());
      }
    }

    void closeParticipation(MPart p) {
      note("close " + p);
      p.participation().close();
      p.modelClose(Closure.PARTICIPATION_CLOSED);
    }

    void closeAccount(MAccount a) {
      note("close account " + a.id);
      a.handle.close();
      a.modelClose(Closure.ACCOUNT_CLOSED);
    }

    void drop(MPart p) {
      if (p.strong == null) {
        return;
      }
      if (!gcDrops) {
        note("drop (simulated by close) " + p);
        closeParticipation(p);
        p.strong = null;
        return;
      }
      note("drop for GC " + p);
      WeakReference<Chunks> weak = new WeakReference<>(p.strong);
      p.strong = null;
      for (int i = 0; i < 100 && weak.get() != null; i++) {
        System.gc();
        GCS.incrementAndGet();
        if (weak.get() != null) {
          Thread.onSpinWait();
        }
      }
      assertTrue(weak.get() == null, "participant was not collected");
      // The reference is enqueued soon after clearing; wait for it, then let the registry drain.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (p.open() && System.nanoTime() < deadline) {
        tracker.registry.drainCollected();
        if (!Ledger.isClosed(p.record())) {
          Thread.yield();
          continue;
        }
        p.modelClose(Closure.PARTICIPANT_GONE);
      }
      assertTrue(!p.open(), "a collected participant was not torn down");
    }

    // ---- reclamation, task by task ---------------------------------------------------------

    void settle() {
      boolean ran = false;
      Runnable pendingOutcome = null;
      for (int n = 0; ; n++) {
        Runnable task = tasks.poll();
        if (task == null) {
          break;
        }
        if (n >= MAX_TASKS) {
          fail(
              "reclamation does not settle: "
                  + MAX_TASKS
                  + " tasks and still going; total="
                  + tracker.usedBytes()
                  + " candidates="
                  + ids(new LinkedHashSet<>(candidates())));
        }
        // The answers to a round are handled by the task after the one that asked.
        if (pendingOutcome != null) {
          pendingOutcome.run();
          pendingOutcome = null;
        }
        long totalBefore = modelTotal();
        List<MAccount> candidatesBefore = candidates();
        java.util.Map<MAccount, Long> agesBefore = new java.util.HashMap<>();
        for (MAccount a : candidatesBefore) {
          agesBefore.put(a, a.age().getAsLong());
        }
        asked.clear();
        requests.clear();
        task.run();
        if (!asked.isEmpty()) {
          ran = true;
          ROUNDS.incrementAndGet();
          pendingOutcome = checkRound(totalBefore, candidatesBefore, agesBefore);
        }
        compare();
      }
      assertTrue(pendingOutcome == null, "a round's answers were never handled");
      long total = modelTotal();
      if (ran) {
        assertTrue(
            total <= LOW || candidates().isEmpty(),
            "reclamation stopped at " + total + " above low water with candidates " + candidates());
      }
      assertTrue(total <= MAX || candidates().isEmpty(), "settled over max: " + total);
    }

    /** The round's root, victims and outcome, against the model's view from before the task. */
    Runnable checkRound(
        long totalBefore, List<MAccount> candidatesBefore, java.util.Map<MAccount, Long> ages) {
      assertTrue(totalBefore > LOW, "a round started at " + totalBefore + ", not above low water");
      // The root is the account of the first participant asked; among accounts of equal age the
      // engine may take any (ties are not ordered once ages have been re-read).
      MAccount root = asked.get(0).account;
      assertTrue(
          ages.containsKey(root),
          () -> "root " + root.id + " held no data; closure=" + root.closure + " parts=" + describe(root.parts));
      assertEquals(
          ages.get(candidatesBefore.get(0)),
          ages.get(root),
          "root " + root.id + " is not the oldest; oldest is " + candidatesBefore.get(0).id);
      StringBuilder what = new StringBuilder("  round: root " + root.id + " " + requests.get(0));
      for (MPart p : asked) {
        what.append(", ").append(p).append(p.partial ? "/partial" : "/collapse")
            .append(p.liar ? "/liar" : "").append(p.usefulPartial ? " released" : "");
      }
      note(what.toString());
      Set<MAccount> victims = new LinkedHashSet<>();
      victims.add(root);
      victims.addAll(root.descendants());
      Set<MAccount> askedAccounts = new LinkedHashSet<>();
      for (MPart p : asked) {
        askedAccounts.add(p.account);
      }
      Set<MAccount> expectedAsked = new LinkedHashSet<>();
      for (MAccount v : victims) {
        for (MPart p : v.parts) {
          if (p.open()) {
            expectedAsked.add(v);
          }
        }
      }
      assertEquals(ids(expectedAsked), ids(askedAccounts), "accounts asked; root " + root.id);
      for (MAccount a : root.ancestors()) {
        assertTrue(!askedAccounts.contains(a), "ancestor " + a.id + " of the victim was asked");
      }
      // The reference outcome, applied once the engine has handled the answers: collapsed
      // participants go; a victim account closes unless one of its participants reclaimed
      // partially.
      Set<MAccount> survivors = new HashSet<>();
      Set<MPart> useful = new HashSet<>();
      for (MPart p : asked) {
        if (p.usefulPartial) {
          survivors.add(p.account);
          useful.add(p);
        }
        p.usefulPartial = false;
      }
      List<MPart> askedNow = new ArrayList<>(asked);
      return () -> {
        for (MPart p : askedNow) {
          if (!useful.contains(p) && survivors.contains(p.account)) {
            p.modelClose(Closure.PARTICIPANT_RECLAIMED);
          }
        }
        for (MAccount v : victims) {
          if (!survivors.contains(v)) {
            v.modelClose(Closure.ACCOUNT_RECLAIMED);
          }
        }
      };
    }

    static String describe(List<MPart> ps) {
      StringBuilder out = new StringBuilder();
      for (MPart p : ps) {
        out.append(p).append("[closure=").append(p.closure).append(" used=").append(p.used)
            .append(" chunks=").append(p.strong == null ? "dropped" : p.strong.chunks.size()).append("] ");
      }
      return out.toString();
    }

    /** Open accounts with data (or lying about it), oldest first, ties to the older account. */
    List<MAccount> candidates() {
      List<long[]> aged = new ArrayList<>(); // {age, id, index}
      for (int i = 0; i < accounts.size(); i++) {
        MAccount a = accounts.get(i);
        OptionalLong age = a.closure == null ? a.age() : OptionalLong.empty();
        if (age.isPresent()) {
          aged.add(new long[] {age.getAsLong(), a.id, i});
        }
      }
      aged.sort(
          (x, y) -> {
            int c = Long.compare(x[0], y[0]);
            return c != 0 ? c : Long.compare(x[1], y[1]);
          });
      List<MAccount> out = new ArrayList<>(aged.size());
      for (long[] e : aged) {
        out.add(accounts.get((int) e[2]));
      }
      return out;
    }

    long modelTotal() {
      long t = 0;
      for (MPart p : parts) {
        if (p.open()) {
          t += p.used + p.cache;
        }
      }
      return t;
    }

    // ---- comparison ------------------------------------------------------------------------

    void compare() {
      tracker.checkConsistency();
      long openParts = 0;
      long openAccounts = 0;
      for (MPart p : parts) {
        ParticipationRecord r = p.record();
        assertEquals(p.closure, Ledger.closure(r), "closure of " + p);
        if (p.open()) {
          openParts++;
          assertEquals(p.used, Ledger.used(r), "used of " + p);
          assertEquals(p.cache, Ledger.held(r) - Ledger.used(r), "cache of " + p);
          assertTrue(p.cache >= 0 && p.cache <= CACHE_MAX, "cache bound of " + p);
          assertTrue(p.used >= 0, "negative use of " + p);
        }
      }
      for (MAccount a : accounts) {
        assertEquals(a.closure, a.record().closure, "closure of account " + a.id);
        if (a.closure == null) {
          openAccounts++;
        }
      }
      long total = modelTotal();
      assertEquals(total, tracker.usedBytes(), "total");
      TrackerStats s = tracker.stats(); // its constructor rejects negative counts
      assertEquals(openParts, s.participants(), "open participations");
      assertEquals(openAccounts, s.accounts(), "open accounts");
    }

    static List<Long> ids(Set<MAccount> set) {
      List<Long> out = new ArrayList<>();
      for (MAccount a : set) {
        out.add(a.id);
      }
      out.sort(null);
      return out;
    }

    static void sameFailure(MemoryQuotaException expected, MemoryQuotaException actual) {
      if (expected == null) {
        throw new AssertionError("unexpected failure", actual);
      }
      assertEquals(expected.getClass(), actual.getClass(), actual.getMessage());
      if (expected instanceof AccountClosedException e) {
        assertEquals(e.reclaimed(), ((AccountClosedException) actual).reclaimed(), actual.getMessage());
      }
      if (expected instanceof ParticipantClosedException e) {
        assertEquals(
            e.reclaimed(), ((ParticipantClosedException) actual).reclaimed(), actual.getMessage());
      }
    }

    // ---- the model -------------------------------------------------------------------------

    final class MAccount {
      final Account handle;
      final long id;
      final List<MAccount> parents = new ArrayList<>();
      final List<MAccount> children = new ArrayList<>();
      final List<MPart> parts = new ArrayList<>();
      Closure closure;

      MAccount(Account handle) {
        this.handle = handle;
        this.id = ((AccountHandle) handle).record.id;
      }

      AccountRecord record() {
        return ((AccountHandle) handle).record;
      }

      MemoryQuotaException expectedFailure() {
        return closure == null ? null : closure.exception("model");
      }

      OptionalLong age() {
        OptionalLong oldest = OptionalLong.empty();
        for (MPart p : parts) {
          OptionalLong a = p.age();
          if (a.isPresent() && (oldest.isEmpty() || a.getAsLong() < oldest.getAsLong())) {
            oldest = a;
          }
        }
        return oldest;
      }

      Set<MAccount> descendants() {
        Set<MAccount> seen = new LinkedHashSet<>();
        ArrayDeque<MAccount> todo = new ArrayDeque<>(children);
        while (!todo.isEmpty()) {
          MAccount a = todo.poll();
          if (seen.add(a)) {
            todo.addAll(a.children);
          }
        }
        return seen;
      }

      Set<MAccount> ancestors() {
        Set<MAccount> seen = new LinkedHashSet<>();
        ArrayDeque<MAccount> todo = new ArrayDeque<>(parents);
        while (!todo.isEmpty()) {
          MAccount a = todo.poll();
          if (seen.add(a)) {
            todo.addAll(a.parents);
          }
        }
        return seen;
      }

      /** Closing an account closes its participations and unlinks it; children stay open. */
      void modelClose(Closure why) {
        if (closure != null) {
          return;
        }
        closure = why;
        for (MPart p : parts) {
          p.modelClose(why);
        }
        for (MAccount p : parents) {
          p.children.remove(this);
        }
        for (MAccount c : children) {
          c.parents.remove(this);
        }
        parents.clear();
        children.clear();
      }
    }

    /** The model of one participation: its exact used bytes and cache. */
    final class MPart {
      final MAccount account;
      final boolean liar;
      final boolean partial;
      long used;
      long cache;
      Closure closure;
      boolean usefulPartial;
      final int serial = parts.size();
      Chunks strong;
      /** Neither the model nor the engine holds the participant strongly through this. */
      ParticipationRecord record;

      MPart(MAccount account, boolean liar, boolean partial) {
        this.account = account;
        this.liar = liar;
        this.partial = partial;
      }

      void bind(Chunks c) {
        strong = c;
        record = (ParticipationRecord) c.participation;
      }

      Participation participation() {
        return record;
      }

      ParticipationRecord record() {
        return record;
      }

      boolean open() {
        return closure == null;
      }

      /** A closed participation reports its account's closure if the account is closed too. */
      MemoryQuotaException expectedFailure() {
        if (closure == null) {
          return null;
        }
        return (account.closure != null ? account.closure : closure).exception("model");
      }

      /** The age the reference gives this participant: liars holding over a cache count as oldest. */
      OptionalLong age() {
        if (!open()) {
          return OptionalLong.empty();
        }
        // Open participants are always held strongly: simulated drops close, real ones wait for GC.
        OptionalLong reported = liar ? OptionalLong.empty() : strong.oldestDataUnlocked();
        if (reported.isEmpty()) {
          return used > CACHE_MAX ? OptionalLong.of(Long.MIN_VALUE) : OptionalLong.empty();
        }
        return reported;
      }

      void modelClaim(long bytes) {
        if (bytes == 0) {
          return;
        }
        if (bytes <= cache) {
          cache -= bytes;
        } else {
          cache = REFILL;
        }
        used += bytes;
      }

      void modelRelease(long bytes) {
        if (bytes == 0) {
          return;
        }
        used -= bytes;
        cache = cache + bytes <= CACHE_MAX ? cache + bytes : RETAIN;
      }

      void modelClose(Closure why) {
        if (closure == null) {
          closure = why;
          used = 0;
          cache = 0;
        }
      }

      @Override
      public String toString() {
        return "p" + serial + "@account " + account.id;
      }
    }

    /** The participant: chunks of data stamped with the clock; collapses or reclaims partially. */
    final class Chunks implements IsParticipant {
      final MPart model;
      Participation participation;
      private final ArrayDeque<long[]> chunks = new ArrayDeque<>(); // {time, bytes}

      Chunks(MPart model, Participation participation) {
        this.model = model;
        this.participation = participation;
      }

      void claim(long bytes, long time) {
        participation.claim(bytes);
        if (bytes > 0) {
          chunks.add(new long[] {time, bytes});
        }
      }

      void release(long bytes) {
        participation.release(bytes);
        if (model.open()) {
          dropOldest(bytes);
        }
      }

      private void dropOldest(long bytes) {
        while (bytes > 0 && !chunks.isEmpty()) {
          long[] head = chunks.peek();
          long take = Math.min(bytes, head[1]);
          head[1] -= take;
          bytes -= take;
          if (head[1] == 0) {
            chunks.poll();
          }
        }
      }

      OptionalLong oldestDataUnlocked() {
        return chunks.isEmpty() ? OptionalLong.empty() : OptionalLong.of(chunks.peek()[0]);
      }

      @Override
      public OptionalLong oldestData() {
        return model.liar ? OptionalLong.empty() : oldestDataUnlocked();
      }

      @Override
      public CompletionStage<Reclaimed> reclaim(ReclaimRequest request) {
        asked.add(model);
        requests.add(request);
        if (!model.partial) {
          chunks.clear();
          return CompletableFuture.completedFuture(Reclaimed.COLLAPSING);
        }
        long freed =
            StressSupport.releaseOldest(chunks, request, participation, model::modelRelease);
        // The reference: PARTIAL without releasing anything counts as collapsing.
        model.usefulPartial = freed > 0;
        return CompletableFuture.completedFuture(Reclaimed.PARTIAL);
      }
    }
  }
}
