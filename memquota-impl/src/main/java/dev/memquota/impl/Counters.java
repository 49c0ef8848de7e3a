package dev.memquota.impl;

import java.util.concurrent.atomic.AtomicLong;

/** Reclamation counters for {@code stats()}; they only grow. */
final class Counters {
  final AtomicLong cycles = new AtomicLong();
  final AtomicLong accountsReclaimed = new AtomicLong();
  final AtomicLong participantsCollapsed = new AtomicLong();
  final AtomicLong bytesReclaimed = new AtomicLong();
}
