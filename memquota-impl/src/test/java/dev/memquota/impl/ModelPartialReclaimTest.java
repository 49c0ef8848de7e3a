package dev.memquota.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memquota.Account;
import dev.memquota.IsParticipant;
import dev.memquota.Participation;
import dev.memquota.QuotaConfig;
import dev.memquota.ReclaimRequest;
import dev.memquota.Reclaimed;
import dev.memquota.spi.TrackerSettings;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * Deterministic cases that {@link ModelSequencesTest} found: partial reclamation with an account
 * that is a victim more than once in a cycle (as a descendant, then on its own).
 */
class ModelPartialReclaimTest {
  private static final long KIB = 1024;
  private static final long MIB = 1024 * KIB;

  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  private final Tracker tracker =
      new Tracker(
          new TrackerSettings(
              QuotaConfig.builder().maxBytes(3 * MIB).lowWaterBytes(MIB + MIB / 2).build(),
              () -> 1_000_000L,
              tasks::add,
              Duration.ofSeconds(5)));

  /** Chunks stamped with explicit times; reclaims partially (what is old enough, as wanted). */
  private static final class Partial implements IsParticipant {
    final Participation participation;
    final ArrayDeque<long[]> chunks = new ArrayDeque<>();
    final List<ReclaimRequest> requests = new ArrayList<>();
    final boolean collapse;

    Partial(Account account, boolean collapse) {
      this.collapse = collapse;
      this.participation = account.register(this);
    }

    synchronized Partial add(long stamp, long bytes) {
      participation.claim(bytes);
      chunks.add(new long[] {stamp, bytes});
      return this;
    }

    @Override
    public synchronized OptionalLong oldestData() {
      return chunks.isEmpty() ? OptionalLong.empty() : OptionalLong.of(chunks.peek()[0]);
    }

    @Override
    public synchronized CompletionStage<Reclaimed> reclaim(ReclaimRequest request) {
      requests.add(request);
      if (collapse) {
        chunks.clear();
        return CompletableFuture.completedFuture(Reclaimed.COLLAPSING);
      }
      StressSupport.releaseOldest(chunks, request, participation, bytes -> {});
      return CompletableFuture.completedFuture(Reclaimed.PARTIAL);
    }
  }

  private void runUntilIdle() {
    for (int i = 0; i < 10_000 && !tasks.isEmpty(); i++) {
      tasks.poll().run();
      tracker.checkConsistency();
    }
    assertTrue(tasks.isEmpty(), "reclamation settles");
  }

  /**
   * X is a child of A. Round 1 takes A (oldest) with X: X gives up its chunk at t=2 and goes back
   * into the heap at t=3, beside its original entry at t=2. Round 2 pops that original entry and
   * X gives up its last chunk. X now holds nothing; an honest participant that drained must not be
   * picked again from a leftover heap entry (it would answer PARTIAL without releasing and be
   * collapsed for it). B, the next oldest, is the one to go.
   */
  @Test
  void drainedSurvivorIsNotPickedAgainFromALeftoverEntry() {
    Account a = tracker.newAccount();
    Partial pa = new Partial(a, false).add(1, MIB);
    Account x = a.newChild();
    Partial px = new Partial(x, false).add(2, 256 * KIB).add(3, 256 * KIB);
    Account b = tracker.newAccount();
    new Partial(b, true).add(5, 2 * MIB); // over the maximum: one cycle queued
    runUntilIdle();
    assertTrue(b.isClosed(), "B, the oldest data left, is reclaimed");
    assertFalse(x.isClosed(), "X drained and was collapsed anyway; requests: " + px.requests);
    assertEquals(2, px.requests.size(), "X asked while it had data, not after: " + px.requests);
    assertFalse(a.isClosed(), "A reclaimed partially and lives on: " + pa.requests);
    assertTrue(tracker.usedBytes() <= MIB + MIB / 2, tracker.stats().toString());
  }
}
