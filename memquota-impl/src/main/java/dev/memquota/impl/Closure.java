package dev.memquota.impl;

import dev.memquota.AccountClosedException;
import dev.memquota.MemoryQuotaException;
import dev.memquota.ParticipantClosedException;
import dev.memquota.TrackerShutdownException;

/**
 * Why a participation or account can no longer be used. A closed participation stores its reason
 * in its packed state word (see {@link Ledger}), so that the claim fast path needs no second read to
 * know which exception to throw.
 */
enum Closure {
  /** {@code Participation.close()} was called. */
  PARTICIPATION_CLOSED,
  /** The participant was garbage-collected. */
  PARTICIPANT_GONE,
  /** Reclamation collapsed the participant (or treated it as collapsed); its account lives on. */
  PARTICIPANT_RECLAIMED,
  /** The account was closed by its owner, or by the cleaner after its handle became unreachable. */
  ACCOUNT_CLOSED,
  /** Reclamation closed the account. */
  ACCOUNT_RECLAIMED,
  /** The tracker was closed. */
  TRACKER_SHUTDOWN;

  private static final Closure[] VALUES = values();

  /** The packed state word of a participation closed for this reason: negative, reason in the low bits. */
  long stateWord() {
    return Long.MIN_VALUE | ordinal();
  }

  static Closure ofStateWord(long state) {
    assert state < 0 : state;
    return VALUES[(int) (state & 0xff)];
  }

  /** The exception a caller sees when it uses an object closed for this reason. */
  MemoryQuotaException exception(String subject) {
    return switch (this) {
      case PARTICIPATION_CLOSED, PARTICIPANT_GONE ->
          new ParticipantClosedException(subject + " is closed", false);
      case PARTICIPANT_RECLAIMED ->
          new ParticipantClosedException(
              subject + " was collapsed by memory reclamation (memory pressure)", true);
      case ACCOUNT_CLOSED -> new AccountClosedException(subject + ": account is closed", false);
      case ACCOUNT_RECLAIMED ->
          new AccountClosedException(
              subject + ": account was reclaimed because of memory pressure", true);
      case TRACKER_SHUTDOWN -> new TrackerShutdownException(subject + ": the tracker is closed");
    };
  }
}
