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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reference scenarios, run against the engine with its internal consistency checked. */
class ReclamationTest {

  @Test
  void reclaimsExactlyTheSevenOldestOfTwentyOne() {
    Harness h = new Harness(20 * MIB, 15 * MIB);
    List<Harness.Chunks> ps = new ArrayList<>();
    List<Account> accounts = new ArrayList<>();
    for (int i = 0; i < 21; i++) {
      Account a = h.tracker.newAccount();
      accounts.add(a);
      ps.add(h.new Chunks(a).add(MIB));
    }
    assertTrue(h.tracker.usedBytes() > 20 * MIB);
    assertEquals(1, h.tasks.size(), "one wake-up however many claims went over max");
    h.runUntilIdle();
    for (int i = 0; i < 21; i++) {
      assertEquals(i < 7, accounts.get(i).isClosed(), "account " + i);
      assertEquals(i < 7, ps.get(i).collapsed, "participant " + i);
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
    Harness.Chunks old = h.new Chunks(parent).add(MIB);
    Account child = parent.newChild();
    Harness.Chunks young = h.new Chunks(child).add(MIB / 2);
    Account other = h.tracker.newAccount();
    h.new Chunks(other).add(MIB);
    h.runUntilIdle();
    assertTrue(parent.isClosed() && child.isClosed() && old.collapsed && young.collapsed);
    assertFalse(other.isClosed());
    assertTrue(h.tracker.usedBytes() <= MIB + MIB / 2);
  }

  @Test
  void childOlderThanParentGoesAlone() {
    Harness h = new Harness(2 * MIB, MIB + MIB / 2);
    Account parent = h.tracker.newAccount();
    Account child = parent.newChild();
    Harness.Chunks old = h.new Chunks(child).add(MIB + MIB / 2);
    Harness.Chunks young = h.new Chunks(parent).add(MIB);
    h.runUntilIdle();
    assertTrue(child.isClosed() && old.collapsed);
    assertFalse(parent.isClosed() || young.collapsed);
  }

  @Test
  void childOfTwoParentsGoesWithEither() {
    Harness h = new Harness(2 * MIB, MIB + MIB / 2);
    Account a = h.tracker.newAccount();
    Account b = h.tracker.newAccount();
    h.new Chunks(a).add(MIB);
    Account child = b.newChild();
    child.addParent(a);
    h.new Chunks(child).add(MIB / 4);
    h.new Chunks(b).add(MIB);
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
    Harness.Chunks lossy = h.new Chunks(a);
    lossy.partial = true;
    for (int i = 0; i < 8; i++) {
      lossy.add(MIB / 4); // 2 MiB in 8 chunks, oldest first
    }
    Account b = h.tracker.newAccount();
    Harness.Chunks honest = h.new Chunks(b);
    honest.add(MIB);
    honest.add(MIB + MIB / 2);
    h.runUntilIdle();
    assertFalse(a.isClosed(), "a PARTIAL answer keeps the account");
    assertFalse(b.isClosed());
    assertTrue(h.tracker.usedBytes() <= 3 * MIB, h.tracker.stats().toString());
    assertTrue(lossy.held() < 2 * MIB && lossy.held() > 0, "released only some: " + lossy.held());
  }

  @Test
  void partialWithoutReleaseIsEscalatedToCollapse() {
    Harness h = new Harness(2 * MIB, MIB);
    Account a = h.tracker.newAccount();
    Harness.Chunks stubborn = h.new Chunks(a).add(3 * MIB);
    stubborn.refuse = true;
    h.runUntilIdle();
    assertTrue(a.isClosed(), h.tracker.stats().toString());
    assertEquals(1, h.tracker.stats().participantsCollapsed());
    AccountClosedException e = assertThrows(AccountClosedException.class, () -> stubborn.add(1));
    assertTrue(e.reclaimed());
  }

  @Test
  void reconfigureBelowUseStartsReclamation() {
    Harness h = new Harness(8 * MIB, 6 * MIB);
    Account a = h.tracker.newAccount();
    h.new Chunks(a).add(3 * MIB);
    Account b = h.tracker.newAccount();
    h.new Chunks(b).add(3 * MIB);
    assertTrue(h.tasks.isEmpty());
    h.tracker.reconfigure(QuotaConfig.builder().maxBytes(4 * MIB).lowWaterBytes(3 * MIB + MIB / 2).build());
    assertEquals(1, h.tasks.size());
    h.runUntilIdle();
    assertTrue(a.isClosed());
    assertFalse(b.isClosed());
  }

  @Test
  void noCycleBelowMax() {
    Harness h = new Harness(4 * MIB, 3 * MIB);
    h.new Chunks(h.tracker.newAccount()).add(3 * MIB + MIB / 2);
    assertTrue(h.tasks.isEmpty(), "between low water and max nothing starts");
  }
}
