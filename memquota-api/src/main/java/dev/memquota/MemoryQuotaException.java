package dev.memquota;

/**
 * Thrown when a tracker, account or participation handle can no longer be used.
 *
 * <p>The subtypes say which object is gone: {@link AccountClosedException}, {@link
 * ParticipantClosedException}, {@link TrackerShutdownException}. Data structures built on the
 * tracker usually translate these into their own "discarded due to memory pressure" error.
 */
public abstract class MemoryQuotaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with the given detail message.
   *
   * @param message the detail message, naming the object that is gone
   */
  protected MemoryQuotaException(String message) {
    super(message);
  }
}
