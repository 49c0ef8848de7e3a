package dev.memquota;

/**
 * The handle through which one participant reports its memory use to the tracker.
 *
 * <p>Obtained from {@link Account#register(IsParticipant)}. A participation does not keep its
 * account alive. It becomes unusable when it is closed, when its account is closed or reclaimed,
 * when its participant collapses under reclamation, or when the tracker is closed; from then on
 * {@link #claim(long)} throws and {@link #release(long)} does nothing.
 *
 * <p><b>Thread-safety:</b> all methods may be called from any number of threads at once. Claims
 * and releases that stay within the participation's local cache take no lock and write no shared
 * counter.
 *
 * <p><b>Accuracy:</b> the tracker's total includes the cache, so it may exceed the bytes claimed by
 * up to one cache (16 KiB in the default engine) per participation. The bytes claimed through one
 * participation are counted exactly.
 */
public interface Participation extends AutoCloseable {

  /**
   * Records that the participant has allocated {@code bytes} more.
   *
   * <p>Never refused for being over quota. A claim that the participation's cache cannot cover
   * goes to the tracker; if that takes the tracker's total above its maximum, it wakes reclamation
   * and returns at once. (A claim served from the cache changes no shared count and so wakes
   * nothing; the next one that reaches the tracker does.)
   *
   * <p>When the participation is unusable for several reasons at once, the exception reports the
   * widest: tracker shut down, then account closed or reclaimed, then participation closed.
   *
   * @param bytes bytes allocated; zero does nothing
   * @throws IllegalArgumentException if {@code bytes} is negative, or if the claim would overflow
   *     this participation's or the tracker's total (an engine may cap what one participation can
   *     hold; the default engine's cap is 2<sup>47</sup>-1 bytes); nothing is changed then
   * @throws AccountClosedException if the account was closed or reclaimed
   * @throws ParticipantClosedException if this participation was closed or its participant collapsed
   * @throws TrackerShutdownException if the tracker was closed
   */
  void claim(long bytes);

  /**
   * Records that the participant has freed {@code bytes}.
   *
   * <p>Never throws because of state: after the participation, its account or the tracker was
   * closed, it does nothing, since that memory was already counted as released.
   *
   * @param bytes bytes freed; zero does nothing
   * @throws IllegalArgumentException if {@code bytes} is negative or more than this participation
   *     currently holds; nothing is changed then
   */
  void release(long bytes);

  /**
   * Declares the participant gone: everything claimed through this participation is released and
   * further claims fail with {@link ParticipantClosedException}. Idempotent; never throws.
   */
  @Override
  void close();
}
