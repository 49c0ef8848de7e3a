package dev.memquota;

/**
 * How a participant answered a {@linkplain IsParticipant#reclaim(ReclaimRequest) reclaim
 * request}.
 */
public enum Reclaimed {
  /**
   * The participant destroyed itself: the tracker forgets all memory it had claimed and closes its
   * participation. Further claims through that participation fail.
   */
  COLLAPSING,

  /**
   * The participant released some of its memory (through {@link Participation#release(long)})
   * and carries on. The tracker re-reads its age and usage and keeps it among the candidates. A
   * participant that answers {@code PARTIAL} without having released anything is treated as
   * {@link #COLLAPSING}, so that it cannot make reclamation loop.
   */
  PARTIAL
}
