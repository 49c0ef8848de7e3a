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
 * Account A (oldest data, 100 KB) and account B (younger, 100 KB) put the tracker over its maximum
 * of 192 KiB; a reclamation cycle is queued. One thread closes A's participation while the other
 * runs the cycle. Either way A's bytes leave the total once, B is never touched (without A the
 * total is already under the low-water mark), and the tables agree with the total.
 *
 * <p>Result: (account A closed ? 1 : 0, account B closed ? 1 : 0, total == B's holding and
 * tracker consistent ? 1 : 0), after any leftover task ran.
 */
@JCStressTest
@Description("Participation close against reclamation")
@Outcome(
    id = "0, 0, 1",
    expect = ACCEPTABLE,
    desc = "close first: the total falls under max, the cycle finds nothing to do; A stays open"
        + " (closing a participation does not close its account)")
@Outcome(
    id = "1, 0, 1",
    expect = ACCEPTABLE,
    desc = "the cycle chose A first (before or after the close): A is reclaimed, its bytes counted"
        + " off once")
@Outcome(expect = FORBIDDEN, desc = "B reclaimed, bytes counted off twice or not at all")
@State
public class ParticipationCloseVsReclaimStress {
  private final Fixture.Tasks tasks = new Fixture.Tasks();
  private final MemoryQuotaTracker tracker = Fixture.tracker(tasks);
  private final Account a = tracker.newAccount();
  private final Account b = tracker.newAccount();
  private final Fixture.Holder oldest = new Fixture.Holder(100);
  private final Fixture.Holder younger = new Fixture.Holder(200);
  private final Participation pa = a.register(oldest);
  private final Participation pb = b.register(younger);

  public ParticipationCloseVsReclaimStress() {
    pa.claim(100_000);
    pb.claim(100_000);
  }

  @Actor
  public void closer() {
    pa.close();
  }

  @Actor
  public void reclaimer() {
    tasks.drain();
  }

  @Arbiter
  public void arbiter(III_Result r) {
    tasks.drain();
    r.r1 = a.isClosed() ? 1 : 0;
    r.r2 = b.isClosed() ? 1 : 0;
    r.r3 =
        tracker.usedBytes() == StressAccess.held(pb) && Fixture.consistent(tracker) == 1 ? 1 : 0;
  }
}
