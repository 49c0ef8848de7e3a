/**
 * Memory quota tracking with oldest-first reclamation.
 *
 * <h2>Concepts</h2>
 *
 * <ul>
 *   <li>A {@link dev.memquota.MemoryQuotaTracker tracker} is one instance of the quota system: a
 *       {@linkplain dev.memquota.QuotaConfig#maxBytes() maximum}, a {@linkplain
 *       dev.memquota.QuotaConfig#lowWaterBytes() low-water mark}, the total of claimed bytes and the
 *       accounts. Trackers are independent of each other.
 *   <li>An {@link dev.memquota.Account account} is the unit of reclamation: all memory in one
 *       account is treated alike. An account may have several parents; reclaiming an account also
 *       reclaims all its descendants, never its ancestors.
 *   <li>A participant ({@link dev.memquota.IsParticipant}) is a data structure that holds memory.
 *       It answers two questions: how old is the oldest data it holds, and "please reclaim".
 *   <li>A {@link dev.memquota.Participation participation} is the handle a participant uses to
 *       {@linkplain dev.memquota.Participation#claim(long) claim} bytes when it allocates and to
 *       {@linkplain dev.memquota.Participation#release(long) release} them when it frees.
 * </ul>
 *
 * <h2>Who keeps whom alive</h2>
 *
 * <pre>
 *   your connection object ──strong──▶ Account ──strong──▶ tracker
 *            │                                                │
 *          strong                                           weak
 *            ▼                                                ▼
 *   your queue (IsParticipant) ──strong──▶ Participation    your queue
 * </pre>
 *
 * <ul>
 *   <li>Someone must hold an {@code Account} to keep it open. An account handle that becomes
 *       unreachable without {@link dev.memquota.Account#close()} is closed by the engine some time
 *       after garbage collection, releasing its memory.
 *   <li>The tracker holds each participant only weakly. A participant that was garbage-collected
 *       is treated as having released everything it claimed.
 *   <li>A {@code Participation} does not keep its account alive, and parent/child links keep
 *       nothing alive.
 * </ul>
 *
 * <h2>What is approximate</h2>
 *
 * Counts are nominal bytes, as claimed by participants. Each participation keeps a small cache of
 * pre-claimed quota so that most claims and releases touch no shared state; the tracker's total
 * therefore exceeds the sum of the participants' claims by at most one cache per participation
 * (16 KiB in the default engine). Enforcement is approximate in time too: a claim is <em>never
 * refused</em> for being over quota; it wakes the reclamation task, which runs on the tracker's
 * executor and brings the total down to the low-water mark by asking the participants with the
 * oldest data to reclaim.
 *
 * <h2>Failure</h2>
 *
 * A handle that can no longer be used throws a subtype of {@link
 * dev.memquota.MemoryQuotaException}: {@link dev.memquota.AccountClosedException} (closed or
 * reclaimed), {@link dev.memquota.ParticipantClosedException} or {@link
 * dev.memquota.TrackerShutdownException}. {@link dev.memquota.Participation#release(long)} never
 * throws for a closed handle. Bad arguments are rejected with {@link IllegalArgumentException}
 * naming the value, and leave every count as it was. A participant callback that throws, or that
 * does not finish reclaiming within the tracker's reclaim timeout, is treated as collapsed.
 */
package dev.memquota;
