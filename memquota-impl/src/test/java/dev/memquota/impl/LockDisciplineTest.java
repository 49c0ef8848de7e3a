package dev.memquota.impl;

import static dev.memquota.impl.Harness.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memquota.Account;
import dev.memquota.IsParticipant;
import dev.memquota.Participation;
import dev.memquota.ReclaimRequest;
import dev.memquota.Reclaimed;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What runs under the registry lock, what does not, and what the engine logs. */
@Timeout(30)
class LockDisciplineTest {

  @Test
  void claimsAndReleasesNeverWaitForTheRegistryLock() throws Exception {
    Harness h = new Harness(64 * MIB, 48 * MIB);
    Account a = h.tracker.newAccount();
    Participation p = a.register(new IdleParticipant());
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    Thread holder =
        new Thread(
            () -> {
              synchronized (h.tracker.registry) {
                locked.countDown();
                try {
                  done.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            });
    holder.start();
    assertTrue(locked.await(10, TimeUnit.SECONDS));
    try {
      // Cache path and tracker path alike: neither blocks while another thread holds the lock.
      p.claim(64);
      p.release(64);
      p.claim(3 * MIB);
      p.release(3 * MIB);
      assertEquals(Ledger.RETAIN, h.tracker.usedBytes());
    } finally {
      done.countDown();
      holder.join();
    }
  }

  @Test
  void cachePathWritesNoSharedCounter() {
    Harness h = new Harness(64 * MIB, 48 * MIB);
    Participation p = h.tracker.newAccount().register(new IdleParticipant());
    p.claim(1);
    long total = h.tracker.usedBytes();
    for (int i = 0; i < 10_000; i++) {
      p.claim(64);
      p.release(64);
    }
    assertEquals(total, h.tracker.usedBytes());
  }

  @Test
  void participantsAreNeverCalledUnderTheLock() {
    Harness h = new Harness(2 * MIB, MIB / 4);
    List<IdleParticipant> ps = new ArrayList<>();
    List<Account> accounts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Account a = h.tracker.newAccount();
      accounts.add(a);
      IdleParticipant p = new IdleParticipant();
      p.registry = h.tracker.registry;
      p.age = i + 1;
      ps.add(p);
      a.register(p).claim(MIB);
    }
    h.runUntilIdle();
    for (IdleParticipant p : ps) {
      assertTrue(p.calls > 0);
      assertFalse(p.calledUnderLock, "a callback ran while the registry lock was held");
    }
  }

  @Test
  void reclamationStartAndEndAreLoggedAtInfo() {
    RecordingLogger log = new RecordingLogger();
    Harness h = new Harness(2 * MIB, MIB, java.time.Duration.ofSeconds(5), log);
    Account a = h.tracker.newAccount();
    IdleParticipant p = new IdleParticipant();
    p.age = 1;
    a.register(p).claim(3 * MIB);
    h.runUntilIdle();
    List<String> info = log.messages(System.Logger.Level.INFO);
    assertEquals(2, info.size(), info.toString());
    assertTrue(info.get(0).startsWith("memquota: reclamation started: used="), info.get(0));
    assertTrue(info.get(0).contains("max=2097152 lowWater=1048576"), info.get(0));
    assertTrue(info.get(1).startsWith("memquota: reclamation finished in "), info.get(1));
    assertTrue(info.get(1).contains("used=0 max=2097152 lowWater=1048576"), info.get(1));
  }

  /** A System.Logger that keeps what it is given. */
  static final class RecordingLogger implements System.Logger {
    private final List<String[]> records = new java.util.concurrent.CopyOnWriteArrayList<>();

    List<String> messages(Level level) {
      return records.stream().filter(r -> r[0].equals(level.name())).map(r -> r[1]).toList();
    }

    @Override
    public String getName() {
      return "recording";
    }

    @Override
    public boolean isLoggable(Level level) {
      return true;
    }

    @Override
    public void log(Level level, java.util.ResourceBundle bundle, String msg, Throwable thrown) {
      records.add(new String[] {level.name(), msg});
    }

    @Override
    public void log(Level level, java.util.ResourceBundle bundle, String format, Object... params) {
      records.add(new String[] {level.name(), java.text.MessageFormat.format(format, params)});
    }
  }

  /** Collapses when asked; notes whether any callback found the registry lock held. */
  static final class IdleParticipant implements IsParticipant {
    volatile Registry registry;
    volatile long age = -1;
    volatile int calls;
    volatile boolean calledUnderLock;

    private void note() {
      calls++;
      Registry r = registry;
      if (r != null && Thread.holdsLock(r)) {
        calledUnderLock = true;
      }
    }

    @Override
    public OptionalLong oldestData() {
      note();
      return age < 0 ? OptionalLong.empty() : OptionalLong.of(age);
    }

    @Override
    public CompletionStage<Reclaimed> reclaim(ReclaimRequest request) {
      note();
      return CompletableFuture.completedFuture(Reclaimed.COLLAPSING);
    }
  }
}
