package dev.memquota.examples.relay;

import java.util.List;

/**
 * What one run of the demo measured.
 *
 * @param label "without quota" or "with memquota"
 * @param protectedRun whether the run had a quota
 * @param maxBytes the quota's maximum (of the protected run, for reference on both)
 * @param lowWaterBytes the quota's low-water mark
 * @param capBytes the unprotected run's safety cap
 * @param peakTrackedBytes the highest total seen: the tracker's total with a quota, the sum of the
 *     queues without one
 * @param peakBound max + participations at the peak x 16 KiB + one item (protected run only)
 * @param participantsAtPeak live participations when the peak was seen
 * @param peakBufferedBytes the highest sum of the queues' bytes, checked every tick
 * @param attackersStarted attacker connections opened
 * @param attackersReclaimed attacker connections whose queue the tracker reclaimed
 * @param reclaimMillis for each reclaimed attacker, milliseconds from its connection to its reclaim
 * @param overMaxMillis for each time the total passed the maximum, milliseconds until it was back
 *     at or under it
 * @param honestStarted honest sessions started
 * @param honestCompleted honest sessions that received everything they asked for
 * @param honestReclaimed honest connections whose queue the tracker reclaimed
 * @param honestBytes bytes honest clients received
 * @param honestReclaimedBeforeOlderAttacker honest reclaims that happened while an attacker with
 *     older queued data was still connected
 * @param stoppedAtSeconds when the run ended
 * @param stopReason why it ended
 * @param samples tracked and buffered bytes over time
 * @param reclaims reclaim events over time
 */
public record RunResult(
    String label,
    boolean protectedRun,
    long maxBytes,
    long lowWaterBytes,
    long capBytes,
    long peakTrackedBytes,
    long peakBound,
    long participantsAtPeak,
    long peakBufferedBytes,
    int attackersStarted,
    int attackersReclaimed,
    List<Long> reclaimMillis,
    List<Long> overMaxMillis,
    int honestStarted,
    int honestCompleted,
    int honestReclaimed,
    long honestBytes,
    int honestReclaimedBeforeOlderAttacker,
    double stoppedAtSeconds,
    String stopReason,
    List<Sample> samples,
    List<ReclaimEvent> reclaims) {

  /** Who a connection belongs to; the relay itself never looks at this, only the statistics do. */
  public enum Kind {
    /** Reads promptly and closes after its download. */
    HONEST,
    /** Asks for endless data and never reads. */
    ATTACKER
  }

  /**
   * One point of the memory chart.
   *
   * @param seconds since the run started
   * @param trackedBytes the tracker's total (with a quota) or the sum of the queues (without)
   * @param bufferedBytes the sum of the queues' bytes
   */
  public record Sample(double seconds, long trackedBytes, long bufferedBytes) {}

  /**
   * A connection whose queue was reclaimed.
   *
   * @param seconds since the run started
   * @param kind whose connection it was
   * @param clientId the client's number
   */
  public record ReclaimEvent(double seconds, Kind kind, int clientId) {}

  /**
   * The share of honest sessions that completed.
   *
   * @return completed / started, or 1 when none started
   */
  public double honestCompletedShare() {
    return honestStarted == 0 ? 1 : (double) honestCompleted / honestStarted;
  }

  /**
   * The share of attacker connections that were reclaimed.
   *
   * @return reclaimed / started, or 1 when none started
   */
  public double attackersReclaimedShare() {
    return attackersStarted == 0 ? 1 : (double) attackersReclaimed / attackersStarted;
  }
}
