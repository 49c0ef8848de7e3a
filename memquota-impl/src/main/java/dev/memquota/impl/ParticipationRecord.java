package dev.memquota.impl;

import dev.memquota.IsParticipant;
import dev.memquota.Participation;

/**
 * One participation: both the handle given to the participant and the tracker's record of it, so
 * that a participant costs the tracker this object and one {@link ParticipantRef}.
 *
 * <p>Thread-safety: {@link #state} is changed only by {@link Ledger} through compare-and-set;
 * {@link #ref} is written once, under the registry lock, and read through the volatile field.
 */
final class ParticipationRecord implements Participation {
  /** Packed counts and closed flag; see {@link Ledger}. Accessed through a VarHandle only. */
  // Package-private only so that Ledger's VarHandle can reach it; nothing else touches it.
  volatile long state = Ledger.EMPTY;

  final AccountRecord account;
  private final Registry registry;

  /** Weak link to the participant; {@code null} until bound (see {@code register(Function)}). */
  private volatile ParticipantRef ref;

  ParticipationRecord(AccountRecord account, Registry registry) {
    this.account = account;
    this.registry = registry;
  }

  @Override
  public void claim(long bytes) {
    registry.ledger.claim(this, bytes);
  }

  @Override
  public void release(long bytes) {
    registry.ledger.release(this, bytes);
  }

  @Override
  public void close() {
    registry.closeParticipation(this, Closure.PARTICIPATION_CLOSED);
  }

  /** Guarded by the registry lock. */
  void bind(ParticipantRef ref) {
    assert this.ref == null;
    this.ref = ref;
  }

  boolean isBound() {
    return ref != null;
  }

  /** The participant, or {@code null} if not yet bound or already garbage-collected. */
  IsParticipant participant() {
    ParticipantRef r = ref;
    return r == null ? null : r.get();
  }

  /** Stops the reference from being enqueued once the record is closed. */
  void unlinkParticipant() {
    ParticipantRef r = ref;
    if (r != null) {
      r.clear();
    }
  }

  /**
   * The exception for a claim on this closed participation. The lookup order is the same as for
   * accounts: a closed tracker first, then a closed account, then the participation's own reason;
   * so a participant that closed its participation while collapsing still learns that its account
   * was reclaimed.
   */
  dev.memquota.MemoryQuotaException closedException(Closure own) {
    if (registry.isShutdown()) {
      return Closure.TRACKER_SHUTDOWN.exception(describe());
    }
    Closure ofAccount = account.closure;
    return (ofAccount != null ? ofAccount : own).exception(describe());
  }

  String describe() {
    return "participation in account #" + account.id;
  }

  @Override
  public String toString() {
    Closure c = Ledger.closure(this);
    return describe()
        + (c != null ? " [" + c + "]" : " [used=" + Ledger.used(this) + ", held=" + Ledger.held(this) + "]");
  }
}
