package dev.memquota.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.memquota.Account;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.Participation;
import dev.memquota.impl.StressAccess;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Two threads claim and release through one participation. The sizes cross the cache boundaries
 * both ways (a claim larger than the cache goes to the tracker's total; a release that overflows
 * the cache returns quota), so the race is between the state-word CAS and the total's updates.
 *
 * <p>Result: (bytes used by the participation, cache within 0..16 KiB ? 1 : 0, tracker consistent
 * ? 1 : 0), read once both threads are done.
 */
@JCStressTest
@Description("Concurrent claim/release on one participation: totals exact once quiet")
@Outcome(
    id = "9000, 1, 1",
    expect = ACCEPTABLE,
    desc = "3000 + 10000 - 4000 + 20000 - 20000 used, whatever the interleaving; the total is"
        + " exactly used + cache and the cache is within bounds")
@Outcome(expect = FORBIDDEN, desc = "a lost or doubled update, or a total that disagrees with the records")
@State
public class ClaimReleaseStress {
  private final Fixture.Tasks tasks = new Fixture.Tasks();
  private final MemoryQuotaTracker tracker = Fixture.tracker(tasks);
  private final Account account = tracker.newAccount();
  private final Fixture.Holder holder = new Fixture.Holder(100);
  private final Participation p = account.register(holder);

  public ClaimReleaseStress() {
    p.claim(3000);
  }

  @Actor
  public void first() {
    p.claim(10_000);
    p.release(4_000);
  }

  @Actor
  public void second() {
    p.claim(20_000);
    p.release(20_000);
  }

  @Arbiter
  public void arbiter(III_Result r) {
    long used = StressAccess.used(p);
    long cache = tracker.usedBytes() - used;
    r.r1 = (int) used;
    r.r2 = cache >= 0 && cache <= StressAccess.cacheMax() ? 1 : 0;
    r.r3 = Fixture.consistent(tracker);
  }
}
