package dev.memquota;

import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;

/**
 * A data structure whose memory is tracked: a queue, a buffer, a cache.
 *
 * <p>The tracker holds a participant only {@linkplain java.lang.ref.WeakReference weakly}: once it
 * has been garbage-collected, all memory it claimed counts as released. Its callbacks are called by
 * the tracker's reclamation task, never while the tracker holds its internal lock, so they may call
 * back into the library (claim, release, close, register).
 *
 * <p>Implementations must be thread-safe: the callbacks run on the tracker's executor while the
 * participant's own threads keep using it.
 */
public interface IsParticipant {

  /**
   * Returns the timestamp of the oldest data this participant holds.
   *
   * <p>Must be fast and must not block: it is called for every participant at the start of each
   * reclamation cycle. A participant that reports no data although it holds more than one cache's
   * worth of claimed bytes is treated as holding very old data (it is lying or leaking). If this
   * method throws, the participant is treated as collapsed.
   *
   * @return the time, on the tracker's {@linkplain MemoryQuotaTracker#clock() clock}, at which the
   *     oldest data still held was added; empty when the participant holds no data
   */
  OptionalLong oldestData();

  /**
   * Asks the participant to free memory.
   *
   * <p>The participant releases memory through its {@link Participation} and completes the
   * returned stage with {@link Reclaimed#COLLAPSING} (it destroyed itself) or {@link
   * Reclaimed#PARTIAL} (it released some data and carries on). A stage that completes
   * exceptionally, that does not complete within the tracker's reclaim timeout, or a method that
   * throws, counts as {@code COLLAPSING}: the tracker forgets the participant's memory and closes its
   * participation.
   *
   * @param request what to discard and how much the tracker wants back; never {@code null}
   * @return a stage completed when the participant has done its part; never {@code null}
   */
  CompletionStage<Reclaimed> reclaim(ReclaimRequest request);
}
