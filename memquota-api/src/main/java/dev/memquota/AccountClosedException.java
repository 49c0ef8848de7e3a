package dev.memquota;

/**
 * Thrown when an account, or a participation of it, is used after the account was closed by its
 * owner or reclaimed by the tracker.
 */
public final class AccountClosedException extends MemoryQuotaException {
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
   * @param message the detail message, naming the account
   * @param reclaimed {@code true} if the tracker reclaimed the account under memory pressure,
   *     {@code false} if its owner closed it
   */
  public AccountClosedException(String message, boolean reclaimed) {
    super(message);
    this.reclaimed = reclaimed;
  }

  /**
   * Tells why the account is closed.
   *
   * @return {@code true} if the tracker reclaimed it under memory pressure, {@code false} if it was
   *     closed by its owner or because it became unreachable
   */
  public boolean reclaimed() {
    return reclaimed;
  }
}
