package dev.memquota;

/** Thrown when a tracker, or any account or participation of it, is used after the tracker was closed. */
public final class TrackerShutdownException extends MemoryQuotaException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the detail message, naming the tracker
   */
  public TrackerShutdownException(String message) {
    super(message);
  }
}
