package dev.memquota;

/**
 * What the tracker asks of a participant it has chosen as a victim.
 *
 * <p>The participant should discard its data whose timestamp is at or before {@link
 * #discardUpTo()} (that is, data at least that old), releasing the memory through its {@link
 * Participation}; it may stop once it has released {@link #bytesWanted()} bytes. A participant that
 * cannot discard selectively simply collapses. The tracker sets {@code discardUpTo} to the age of
 * the next-oldest candidate, so that after a partial reclaim the victim no longer holds older data
 * than anyone else; when no other candidate remains it is the current time.
 *
 * <p>Instances are immutable; a negative {@code bytesWanted} is rejected with {@link
 * IllegalArgumentException}.
 *
 * @param discardUpTo timestamp, on the tracker's {@linkplain MemoryQuotaTracker#clock() clock}: data
 *     at or before it should go
 * @param bytesWanted how many bytes the tracker still wants released in this cycle; the
 *     participant may stop after releasing that many; at least zero
 */
public record ReclaimRequest(long discardUpTo, long bytesWanted) {

  /**
   * Creates a request.
   *
   * @param discardUpTo data at or before this timestamp should go
   * @param bytesWanted bytes the tracker still wants; at least zero
   * @throws IllegalArgumentException if {@code bytesWanted} is negative
   */
  public ReclaimRequest {
    if (bytesWanted < 0) {
      throw new IllegalArgumentException("bytesWanted must be >= 0, was " + bytesWanted);
    }
  }
}
