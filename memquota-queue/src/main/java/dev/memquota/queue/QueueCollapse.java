package dev.memquota.queue;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * What a collapse listener is told: why a {@link TrackedQueue} collapsed and what it dropped.
 *
 * <p>Immutable.
 *
 * @param reason why the queue collapsed; never {@code null}
 * @param droppedItems how many queued items were discarded
 * @param droppedBytes the total cost of the discarded items, released from the account
 * @param oldestDropped the enqueue time, on the tracker's clock, of the oldest discarded item;
 *     empty when the queue was empty
 */
public record QueueCollapse(
    CollapseReason reason, long droppedItems, long droppedBytes, OptionalLong oldestDropped) {

  /**
   * Creates a collapse report.
   *
   * @param reason why the queue collapsed
   * @param droppedItems discarded items; at least zero
   * @param droppedBytes discarded bytes; at least zero
   * @param oldestDropped enqueue time of the oldest discarded item, or empty
   * @throws NullPointerException if {@code reason} or {@code oldestDropped} is {@code null}
   * @throws IllegalArgumentException if a count is negative
   */
  public QueueCollapse {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(oldestDropped, "oldestDropped");
    if (droppedItems < 0) {
      throw new IllegalArgumentException("droppedItems must be >= 0, was " + droppedItems);
    }
    if (droppedBytes < 0) {
      throw new IllegalArgumentException("droppedBytes must be >= 0, was " + droppedBytes);
    }
  }
}
