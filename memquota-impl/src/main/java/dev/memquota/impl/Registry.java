package dev.memquota.impl;

import dev.memquota.IsParticipant;
import dev.memquota.TrackerShutdownException;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The tracker's tables: open accounts, their links and their participations, and the queue of
 * garbage-collected participants.
 *
 * <h2>Implementation notes</h2>
 *
 * Every structural change (accounts opened or closed, links, participations registered or torn
 * down) happens under this object's monitor, the <em>registry lock</em>. Claims and releases never
 * take it (see {@link Ledger}). Participant callbacks are never made while it is held: the
 * reclaimer copies what it needs under the lock and calls out after releasing it.
 *
 * <p>All teardown goes through {@link #closeParticipation} and {@link #closeAccount}, so a record
 * is removed from the tables exactly when its state word becomes closed. Lookups from a handle go
 * through {@link #checkUsable}: tracker shut down first, then account closed (with its reason);
 * a participation's own state word gives its reason on the claim path.
 */
final class Registry {
  final Ledger ledger;
  final String trackerName;
  private final Set<AccountRecord> accounts = new HashSet<>();
  private final ReferenceQueue<IsParticipant> collected = new ReferenceQueue<>();
  private long nextAccountId = 1;
  private long participantCount;
  private volatile boolean shutdown;

  Registry(Ledger ledger, String trackerName) {
    this.ledger = ledger;
    this.trackerName = trackerName;
  }

  boolean isShutdown() {
    return shutdown;
  }

  /** Throws the one exception that says why {@code account} cannot be used, if it cannot. */
  void checkUsable(AccountRecord account) {
    checkOpen();
    Closure c = account.closure;
    if (c != null) {
      throw c.exception(account.describe());
    }
  }

  void checkOpen() {
    if (shutdown) {
      throw new TrackerShutdownException(trackerName + " is closed");
    }
  }

  synchronized AccountRecord newAccount(AccountRecord parent) {
    if (parent != null) {
      checkUsable(parent);
    } else {
      checkOpen();
    }
    drainCollected();
    AccountRecord account = new AccountRecord(nextAccountId++);
    if (parent != null) {
      link(parent, account);
    }
    accounts.add(account);
    return account;
  }

  synchronized void addParent(AccountRecord child, AccountRecord parent) {
    checkUsable(child);
    checkUsable(parent);
    if (parent == child) {
      throw new IllegalArgumentException(
          "addParent: " + child.describe() + " cannot be its own parent");
    }
    if (child.parents.contains(parent)) {
      throw new IllegalArgumentException(
          "addParent: " + parent.describe() + " is already a parent of " + child.describe());
    }
    if (descendants(child).contains(parent)) {
      throw new IllegalArgumentException(
          "addParent: "
              + parent.describe()
              + " is a descendant of "
              + child.describe()
              + "; the link would make a cycle");
    }
    link(parent, child);
  }

  /**
   * Registers a participation; {@code participant} may be {@code null}, in which case the record
   * stays unbound (never asked to reclaim) until {@link #bind}.
   */
  synchronized ParticipationRecord register(AccountRecord account, IsParticipant participant) {
    checkUsable(account);
    drainCollected();
    ParticipationRecord record = new ParticipationRecord(account, this);
    if (participant != null) {
      record.bind(new ParticipantRef(participant, record, collected));
    }
    account.participations.add(record);
    participantCount++;
    return record;
  }

  /** Binds a participant to a record created unbound; does nothing if the record was closed since. */
  synchronized void bind(ParticipationRecord record, IsParticipant participant) {
    if (!Ledger.isClosed(record)) {
      record.bind(new ParticipantRef(participant, record, collected));
    }
  }

  /**
   * Tears a participation down for {@code why} and forgets it.
   *
   * @return the bytes taken off the total, or -1 if it was already closed
   */
  synchronized long closeParticipation(ParticipationRecord record, Closure why) {
    long released = ledger.tearDown(record, why);
    if (released >= 0) {
      record.account.participations.remove(record);
      record.unlinkParticipant();
      participantCount--;
    }
    return released;
  }

  /**
   * Closes an account for {@code why}: tears down its participations with the same reason and
   * unlinks it from its parents and children (children stay open).
   *
   * @return the bytes taken off the total, or -1 if it was already closed
   */
  synchronized long closeAccount(AccountRecord account, Closure why) {
    if (account.closure != null) {
      return -1;
    }
    account.closure = why;
    long released = 0;
    for (ParticipationRecord p : account.participations) {
      long r = ledger.tearDown(p, why);
      assert r >= 0 : p;
      released += r;
      p.unlinkParticipant();
      participantCount--;
    }
    account.participations.clear();
    for (AccountRecord parent : account.parents) {
      parent.children.remove(account);
    }
    for (AccountRecord child : account.children) {
      child.parents.remove(account);
    }
    account.parents.clear();
    account.children.clear();
    accounts.remove(account);
    return released;
  }

  /** Tears down every participation whose participant was garbage-collected. */
  synchronized void drainCollected() {
    for (Reference<? extends IsParticipant> r; (r = collected.poll()) != null; ) {
      closeParticipation(((ParticipantRef) r).record, Closure.PARTICIPANT_GONE);
    }
  }

  /** Closes everything; afterwards every handle reports {@link TrackerShutdownException}. */
  synchronized void shutdown() {
    if (shutdown) {
      return;
    }
    shutdown = true;
    for (AccountRecord a : new ArrayList<>(accounts)) {
      closeAccount(a, Closure.TRACKER_SHUTDOWN);
    }
    drainCollected();
  }

  /**
   * The bound, live participations of {@code scope} (all open accounts when {@code null}), each
   * with a strong reference to its participant, for calling out without the lock. Participations
   * whose participant was garbage-collected are torn down on the way. The participations of one
   * account are listed together (the reclaimer relies on it).
   */
  synchronized List<Probe> probes(Iterable<AccountRecord> scope) {
    drainCollected();
    List<Probe> out = new ArrayList<>();
    List<ParticipationRecord> gone = new ArrayList<>();
    for (AccountRecord a : scope == null ? accounts : scope) {
      for (ParticipationRecord p : a.participations) {
        if (!p.isBound()) {
          continue;
        }
        IsParticipant participant = p.participant();
        if (participant == null) {
          gone.add(p);
        } else {
          out.add(new Probe(p, participant));
        }
      }
    }
    for (ParticipationRecord p : gone) {
      closeParticipation(p, Closure.PARTICIPANT_GONE);
    }
    return out;
  }

  /** {@code root} and every account reachable from it through child links, {@code root} first. */
  synchronized List<AccountRecord> withDescendants(AccountRecord root) {
    List<AccountRecord> out = new ArrayList<>(descendants(root));
    out.add(0, root);
    return out;
  }

  /** Every account reachable from {@code root} through child links, not {@code root} itself. */
  private Set<AccountRecord> descendants(AccountRecord root) {
    Set<AccountRecord> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<AccountRecord> todo = new ArrayDeque<>(root.children);
    while (!todo.isEmpty()) {
      AccountRecord a = todo.poll();
      if (seen.add(a)) {
        todo.addAll(a.children);
      }
    }
    return seen;
  }

  synchronized long accountCount() {
    return accounts.size();
  }

  synchronized long participantCount() {
    return participantCount;
  }

  /**
   * Re-derives every count from the records and checks it against the ledger and the tables.
   * Meaningful only when no claim or release is in flight. For the engine's own tests.
   *
   * @throws AssertionError describing the first inconsistency found
   */
  synchronized void checkConsistency() {
    long held = 0;
    long participations = 0;
    for (AccountRecord a : accounts) {
      check(a.closure == null, "open table holds closed " + a);
      for (AccountRecord p : a.parents) {
        check(p.children.contains(a), a + " lists parent " + p + " that does not list it");
      }
      for (AccountRecord c : a.children) {
        check(c.parents.contains(a), a + " lists child " + c + " that does not list it");
        check(accounts.contains(c), a + " has a child that is not in the table: " + c);
      }
      for (ParticipationRecord p : a.participations) {
        check(!Ledger.isClosed(p), a + " lists closed " + p);
        check(p.account == a, p + " is listed by " + a);
        held += Ledger.held(p);
        participations++;
      }
    }
    check(participations == participantCount,
        "participantCount " + participantCount + " but " + participations + " listed");
    check(held == ledger.total(), "total " + ledger.total() + " but participations hold " + held);
    check(ledger.total() >= 0, "negative total " + ledger.total());
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError("inconsistent tracker: " + what);
    }
  }

  private static void link(AccountRecord parent, AccountRecord child) {
    parent.children.add(child);
    child.parents.add(parent);
  }

  /** A participation together with a strong reference to its participant, taken under the lock. */
  record Probe(ParticipationRecord record, IsParticipant participant) {}
}
