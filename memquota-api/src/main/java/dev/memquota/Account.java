package dev.memquota;

import java.util.function.Function;

/**
 * The unit of reclamation: all memory claimed by the participants of one account is treated
 * alike.
 *
 * <p>When the tracker chooses an account as a victim, it asks every participant of that account,
 * and of all its descendants, to reclaim; never those of its ancestors. Parent links keep nothing
 * alive. Somebody must hold the account (typically the object representing the account holder,
 * such as a connection) to keep it open; an account that becomes unreachable without {@link
 * #close()} is closed by the engine after garbage collection.
 *
 * <p>Reclaiming an account reclaims the descendants it has when the tracker chooses it as a victim.
 * A child linked to it while its participants are being asked to reclaim ({@link #newChild()} or
 * {@link #addParent(Account)} racing with reclamation) may survive; the link is dropped when the
 * account closes.
 *
 * <p><b>Thread-safety:</b> all methods may be called from any thread.
 *
 * <p>Every method except {@link #isClosed()} and {@link #close()} throws {@link
 * TrackerShutdownException} once the tracker is closed and {@link AccountClosedException} once this
 * account is closed or reclaimed.
 */
public interface Account extends AutoCloseable {

  /**
   * Creates a new account whose only parent is this one.
   *
   * @return the child account; open
   * @throws AccountClosedException if this account is closed or was reclaimed
   * @throws TrackerShutdownException if the tracker is closed
   */
  Account newChild();

  /**
   * Adds {@code parent} as a further parent of this account, so that reclaiming {@code parent}
   * also reclaims this account and its descendants.
   *
   * @param parent an open account of the same tracker
   * @throws NullPointerException if {@code parent} is {@code null}
   * @throws IllegalArgumentException if {@code parent} belongs to another tracker, is already a
   *     parent of this account, is this account, or is a descendant of it (the link would make a
   *     cycle); nothing is changed then
   * @throws AccountClosedException if this account or {@code parent} is closed or was reclaimed
   * @throws TrackerShutdownException if the tracker is closed
   */
  void addParent(Account parent);

  /**
   * Registers a participant in this account.
   *
   * <p>The tracker holds {@code participant} weakly: the caller (normally the participant itself)
   * must keep the returned participation. The participant may be asked to reclaim as soon as this
   * method returns; a participant that needs its participation before it can answer should use
   * {@link #register(Function)}.
   *
   * @param participant the data structure whose memory will be claimed
   * @return the new participation, holding no bytes
   * @throws NullPointerException if {@code participant} is {@code null}
   * @throws AccountClosedException if this account is closed or was reclaimed
   * @throws TrackerShutdownException if the tracker is closed
   */
  Participation register(IsParticipant participant);

  /**
   * Registers a participant that owns its participation: {@code factory} receives the new
   * participation and returns the participant built around it.
   *
   * <p>The participant is not asked to reclaim before {@code factory} returns. If {@code factory}
   * throws or returns {@code null}, the participation is closed (releasing anything claimed through
   * it) and the exception propagates.
   *
   * @param factory builds the participant from its participation
   * @param <P> the participant's type
   * @return what {@code factory} returned
   * @throws NullPointerException if {@code factory} is {@code null} or returns {@code null}
   * @throws AccountClosedException if this account is closed or was reclaimed
   * @throws TrackerShutdownException if the tracker is closed
   */
  <P extends IsParticipant> P register(Function<? super Participation, ? extends P> factory);

  /**
   * Tells whether this account can no longer be used: closed by its owner, reclaimed, or closed
   * with its tracker.
   *
   * @return {@code true} once the account is closed; never reverts to {@code false}
   */
  boolean isClosed();

  /**
   * Closes this account: the memory of all its participants is released and their participations
   * fail further claims with {@link AccountClosedException}. Child accounts are not closed.
   * Idempotent; never throws.
   */
  @Override
  void close();
}
