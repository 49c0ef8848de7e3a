package dev.memquota.queue;

/** Why a {@link TrackedQueue} collapsed. */
public enum CollapseReason {
  /** The owner closed the queue with {@link TrackedQueue#close()}. */
  CLOSED,

  /**
   * The memory quota tracker reclaimed the queue under memory pressure: it asked the queue to
   * reclaim, or a claim failed because the queue's account or participation had been reclaimed.
   */
  RECLAIMED,

  /**
   * The queue can no longer account for its memory because its account, its participation or its
   * tracker was closed by their owner (not under memory pressure); found when a claim failed.
   */
  DETACHED
}
