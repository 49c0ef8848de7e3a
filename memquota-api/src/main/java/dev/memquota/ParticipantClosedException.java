package dev.memquota;

/**
 * Thrown when a participation is used after it was closed by its participant, or after the
 * tracker treated its participant as collapsed while the account itself stayed open.
 */
public final class ParticipantClosedException extends MemoryQuotaException {
  private static final long serialVersionUID = 1L;

  /**
   * Whether the tracker reclaimed the object, rather than its owner closing it.
   *
   * @serial
   */
  private final boolean reclaimed;

  /**
   * Creates the exception.
   *
   * @param message the detail message, naming the participation
   * @param reclaimed {@code true} if the participant was collapsed by reclamation, {@code false} if
   *     the participation was closed
   */
  public ParticipantClosedException(String message, boolean reclaimed) {
    super(message);
    this.reclaimed = reclaimed;
  }

  /**
   * Tells why the participation is closed.
   *
   * @return {@code true} if reclamation collapsed the participant, {@code false} if the
   *     participation was closed through {@link Participation#close()}
   */
  public boolean reclaimed() {
    return reclaimed;
  }
}
