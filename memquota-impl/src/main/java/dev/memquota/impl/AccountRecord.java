package dev.memquota.impl;

import java.util.ArrayList;
import java.util.List;

/**
 * The tracker's record of one account: its links and participations. Holds no reference to the
 * public {@link AccountHandle}, so that the handle can become unreachable (and be cleaned) while
 * the record lives on in the registry.
 *
 * <p>Thread-safety: every field except {@link #closure} is guarded by the registry lock; {@code
 * closure} is volatile so that {@code isClosed()} needs no lock.
 */
final class AccountRecord {
  final long id;

  /** {@code null} while open; written once, under the registry lock. */
  volatile Closure closure;

  final List<AccountRecord> parents = new ArrayList<>(1);
  final List<AccountRecord> children = new ArrayList<>(0);
  final List<ParticipationRecord> participations = new ArrayList<>(1);

  AccountRecord(long id) {
    this.id = id;
  }

  boolean isClosed() {
    return closure != null;
  }

  String describe() {
    return "account #" + id;
  }

  @Override
  public String toString() {
    return describe() + (closure != null ? " [" + closure + "]" : "");
  }
}
