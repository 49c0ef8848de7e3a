package dev.memquota;

/**
 * An immutable snapshot of a tracker's state and its reclamation counters, from {@link
 * MemoryQuotaTracker#stats()}.
 *
 * <p>The fields are read one after another without stopping the tracker, so under concurrent use
 * they need not be mutually consistent; each one is a value the tracker really had. Counters only
 * grow. A negative count is rejected with {@link IllegalArgumentException}.
 *
 * @param usedBytes the tracker's total, caches included (approximate, see {@link Participation})
 * @param maxBytes the configured maximum
 * @param lowWaterBytes the configured low-water mark
 * @param accounts open accounts
 * @param participants registered participations that are not closed
 * @param reclaiming whether a reclamation cycle is under way
 * @param reclamationCycles cycles started since the tracker was created
 * @param accountsReclaimed accounts closed by reclamation
 * @param participantsCollapsed participants that collapsed, or were treated as collapsed (threw,
 *     timed out, or answered {@link Reclaimed#PARTIAL} without releasing anything)
 * @param bytesReclaimed bytes released by reclamation: the memory of collapsed participants and
 *     what participants released while answering partially
 */
public record TrackerStats(
    long usedBytes,
    long maxBytes,
    long lowWaterBytes,
    long accounts,
    long participants,
    boolean reclaiming,
    long reclamationCycles,
    long accountsReclaimed,
    long participantsCollapsed,
    long bytesReclaimed) {

  /**
   * Creates a snapshot.
   *
   * @param usedBytes see the record component
   * @param maxBytes see the record component
   * @param lowWaterBytes see the record component
   * @param accounts see the record component
   * @param participants see the record component
   * @param reclaiming see the record component
   * @param reclamationCycles see the record component
   * @param accountsReclaimed see the record component
   * @param participantsCollapsed see the record component
   * @param bytesReclaimed see the record component
   * @throws IllegalArgumentException if any count is negative
   */
  public TrackerStats {
    requireNonNegative("usedBytes", usedBytes);
    requireNonNegative("maxBytes", maxBytes);
    requireNonNegative("lowWaterBytes", lowWaterBytes);
    requireNonNegative("accounts", accounts);
    requireNonNegative("participants", participants);
    requireNonNegative("reclamationCycles", reclamationCycles);
    requireNonNegative("accountsReclaimed", accountsReclaimed);
    requireNonNegative("participantsCollapsed", participantsCollapsed);
    requireNonNegative("bytesReclaimed", bytesReclaimed);
  }

  private static void requireNonNegative(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, was " + value);
    }
  }
}
