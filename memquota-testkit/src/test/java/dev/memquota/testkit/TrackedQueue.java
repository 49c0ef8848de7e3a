package dev.memquota.testkit;

import dev.memquota.Account;
import dev.memquota.IsParticipant;
import dev.memquota.MemoryClock;
import dev.memquota.Participation;
import dev.memquota.ReclaimRequest;
import dev.memquota.Reclaimed;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The participant of the "Testing your own participant" example: a queue of byte arrays that
 * claims on push, releases on pop, and collapses (drops everything) when asked to reclaim.
 */
final class TrackedQueue implements IsParticipant {
  private record Item(byte[] data, long addedAt) {}

  private final Deque<Item> items = new ArrayDeque<>();
  private final Participation participation;
  private final MemoryClock clock;
  private boolean collapsed;

  private TrackedQueue(Participation participation, MemoryClock clock) {
    this.participation = participation;
    this.clock = clock;
  }

  static TrackedQueue in(Account account, MemoryClock clock) {
    return account.register(p -> new TrackedQueue(p, clock));
  }

  synchronized void push(byte[] data) {
    if (collapsed) {
      throw new IllegalStateException("discarded due to memory pressure");
    }
    participation.claim(data.length);
    items.addLast(new Item(data, clock.nanoTime()));
  }

  synchronized byte[] pop() {
    Item head = items.pollFirst();
    if (head == null) {
      return null;
    }
    participation.release(head.data().length);
    return head.data();
  }

  synchronized boolean isCollapsed() {
    return collapsed;
  }

  @Override
  public synchronized OptionalLong oldestData() {
    Item head = items.peekFirst();
    return head == null ? OptionalLong.empty() : OptionalLong.of(head.addedAt());
  }

  @Override
  public CompletionStage<Reclaimed> reclaim(ReclaimRequest request) {
    synchronized (this) {
      collapsed = true;
      items.clear();
    }
    participation.close();
    return CompletableFuture.completedFuture(Reclaimed.COLLAPSING);
  }
}
