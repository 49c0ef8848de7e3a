package dev.memquota.impl;

import static dev.memquota.impl.Harness.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memquota.Account;
import dev.memquota.AccountClosedException;
import dev.memquota.QuotaConfig;
import dev.memquota.TrackerStats;
import dev.memquota.testkit.FakeParticipant;
import dev.memquota.testkit.FakeParticipant.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reference scenarios, run against the engine with its internal consistency checked. */
class ReclamationTest {

  @Test
  void reclaimsExactlyTheSevenOldestOfTwentyOne() {
    Harness h = new Harness(20 * MIB, 15 * MIB);
    List<FakeParticipant> ps = new ArrayList<>();
    List<Account> accounts = new ArrayList<>();
    for (int i = 0; i < 21; i++) {
      Account a = h.tracker.newAccount();
      accounts.add(a);
      ps.add(h.fake(a, MIB));
    }
    assertTrue(h.tracker.usedBytes() > 20 * MIB);
    assertEquals(1, h.executor.pending(), "one wake-up however many claims went over max");
    h.runUntilIdle();
    for (int i = 0; i < 21; i++) {
      assertEquals(i < 7, accounts.get(i).isClosed(), "account " + i);
      assertEquals(i < 7, ps.get(i).hasCollapsed(), "participant " + i);
    }
    TrackerStats s = h.tracker.stats();
    assertTrue(s.usedBytes() <= 15 * MIB, s.toString());
    assertEquals(1, s.reclamationCycles());
    assertEquals(7, s.accountsReclaimed());
    assertEquals(7, s.participantsCollapsed());
    assertFalse(s.reclaiming());
  }

  @Test
  void parentOlderThanChildTakesChildAlong() {
    Harness h = new Harness(2 * MIB, MIB + MIB / 2);
    Account parent = h.tracker.newAccount();
    FakeParticipant old = h.fake(parent, MIB);
    Account child = parent.newChild();
    FakeParticipant young = h.fake(child, MIB / 2);
    Account other = h.tracker.newAccount();
    h.fake(other, MIB);
    h.runUntilIdle();
    assertTrue(parent.isClosed() && child.isClosed() && old.hasCollapsed() && young.hasCollapsed());
    assertFalse(other.isClosed());
    assertTrue(h.tracker.usedBytes() <= MIB + MIB / 2);
  }

  @Test
  void childOlderThanParentGoesAlone() {
    Harness h = new Harness(2 * MIB, MIB + MIB / 2);
    Account parent = h.tracker.newAccount();
    Account child = parent.newChild();
    FakeParticipant old = h.fake(child, MIB + MIB / 2);
    FakeParticipant young = h.fake(parent, MIB);
    h.runUntilIdle();
    assertTrue(child.isClosed() && old.hasCollapsed());
    assertFalse(parent.isClosed() || young.hasCollapsed());
  }

  @Test
  void childOfTwoParentsGoesWithEither() {
    Harness h = new Harness(2 * MIB, MIB + MIB / 2);
    Account a = h.tracker.newAccount();
    Account b = h.tracker.newAccount();
    h.fake(a, MIB);
    Account child = b.newChild();
    child.addParent(a);
    h.fake(child, MIB / 4);
    h.fake(b, MIB);
    h.runUntilIdle();
    assertTrue(a.isClosed() && child.isClosed());
    assertFalse(b.isClosed());
  }

  @Test
  void cycleIsRejectedAndChangesNothing() {
    Harness h = new Harness(2 * MIB, MIB);
    Account a = h.tracker.newAccount();
    Account b = a.newChild();
    Account c = b.newChild();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.addParent(c));
    assertTrue(e.getMessage().contains("cycle"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.addParent(a));
    assertThrows(IllegalArgumentException.class, () -> a.addParent(a));
    h.tracker.checkConsistency();
  }

  @Test
  void partialReclaimKeepsAccountAndStopsAtLowWater() {
    Harness h = new Harness(4 * MIB, 3 * MIB);
    Account a = h.tracker.newAccount();
    FakeParticipant lossy = FakeParticipant.register(a, h.clock).answering(Answer.RELEASE_OLDEST);
    for (int i = 0; i < 8; i++) {
      h.clock.advance(Duration.ofMillis(1));
      lossy.holding(MIB / 4); // 2 MiB in 8 chunks, oldest first
    }
    Account b = h.tracker.newAccount();
    h.fake(b, MIB);
    h.fake(b, MIB + MIB / 2);
    h.runUntilIdle();
    assertFalse(a.isClosed(), "a PARTIAL answer keeps the account");
    assertFalse(b.isClosed());
    assertTrue(h.tracker.usedBytes() <= 3 * MIB, h.tracker.stats().toString());
    assertTrue(lossy.heldBytes() < 2 * MIB && lossy.heldBytes() > 0, "released only some: " + lossy);
    assertEquals(1, lossy.requests().size());
  }

  @Test
  void partialWithoutReleaseIsEscalatedToCollapse() {
    Harness h = new Harness(2 * MIB, MIB);
    Account a = h.tracker.newAccount();
    FakeParticipant stubborn = h.fake(a, 3 * MIB).answering(Answer.PARTIAL_WITHOUT_RELEASE);
    h.runUntilIdle();
    assertTrue(a.isClosed(), h.tracker.stats().toString());
    assertEquals(1, h.tracker.stats().participantsCollapsed());
    AccountClosedException e = assertThrows(AccountClosedException.class, () -> stubborn.holding(1));
    assertTrue(e.reclaimed());
  }

  @Test
  void reconfigureBelowUseStartsReclamation() {
    Harness h = new Harness(8 * MIB, 6 * MIB);
    Account a = h.tracker.newAccount();
    h.fake(a, 3 * MIB);
    Account b = h.tracker.newAccount();
    h.fake(b, 3 * MIB);
    assertEquals(0, h.executor.pending());
    h.tracker.reconfigure(
        QuotaConfig.builder().maxBytes(4 * MIB).lowWaterBytes(3 * MIB + MIB / 2).build());
    assertEquals(1, h.executor.pending());
    h.runUntilIdle();
    assertTrue(a.isClosed());
    assertFalse(b.isClosed());
  }

  @Test
  void noCycleBelowMax() {
    Harness h = new Harness(4 * MIB, 3 * MIB);
    h.fake(h.tracker.newAccount(), 3 * MIB + MIB / 2);
    assertEquals(0, h.executor.pending(), "between low water and max nothing starts");
  }
}
