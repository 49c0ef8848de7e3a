package dev.memquota.impl;

import dev.memquota.IsParticipant;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * The tracker's weak link to a participant. When the participant is garbage-collected the
 * reference is enqueued, and the registry tears the record down on its next drain.
 */
final class ParticipantRef extends WeakReference<IsParticipant> {
  final ParticipationRecord record;

  ParticipantRef(
      IsParticipant participant, ParticipationRecord record, ReferenceQueue<IsParticipant> queue) {
    super(participant, queue);
    this.record = record;
  }
}
