package dev.memquota.queue;

import java.util.Objects;

/**
 * Thrown by every operation of a {@link TrackedQueue} that has collapsed: its contents were
 * discarded, either because the memory quota tracker reclaimed it under memory pressure or because
 * its owner closed it. {@link #reason()} tells which.
 *
 * <p>The messages are stable, so that users may search for them:
 *
 * <ul>
 *   <li>{@link CollapseReason#RECLAIMED}: {@value #RECLAIMED_MESSAGE}
 *   <li>{@link CollapseReason#CLOSED}: {@value #CLOSED_MESSAGE}
 *   <li>{@link CollapseReason#DETACHED}: {@value #DETACHED_MESSAGE}
 * </ul>
 *
 * <p>When the collapse was found by a failing claim, the {@linkplain #getCause() cause} is the
 * {@link dev.memquota.MemoryQuotaException} that the claim threw.
 */
public final class QueueCollapsedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** The message for {@link CollapseReason#RECLAIMED}. */
  public static final String RECLAIMED_MESSAGE =
      "tracked queue discarded due to memory pressure: the memory quota tracker reclaimed it";

  /** The message for {@link CollapseReason#CLOSED}. */
  public static final String CLOSED_MESSAGE = "tracked queue closed by its owner";

  /** The message for {@link CollapseReason#DETACHED}. */
  public static final String DETACHED_MESSAGE =
      "tracked queue discarded: its memory quota account, participation or tracker was closed";

  /**
   * Why the queue collapsed.
   *
   * @serial
   */
  private final CollapseReason reason;

  /**
   * Creates the exception.
   *
   * @param reason why the queue collapsed
   * @param cause the failure that made it collapse, or {@code null}
   * @throws NullPointerException if {@code reason} is {@code null}
   */
  public QueueCollapsedException(CollapseReason reason, Throwable cause) {
    super(messageFor(Objects.requireNonNull(reason, "reason")), cause);
    this.reason = reason;
  }

  /**
   * Tells why the queue collapsed.
   *
   * @return the reason; never {@code null}
   */
  public CollapseReason reason() {
    return reason;
  }

  private static String messageFor(CollapseReason reason) {
    switch (reason) {
      case RECLAIMED:
        return RECLAIMED_MESSAGE;
      case CLOSED:
        return CLOSED_MESSAGE;
      default:
        return DETACHED_MESSAGE;
    }
  }
}
