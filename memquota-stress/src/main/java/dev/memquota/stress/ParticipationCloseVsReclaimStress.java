package dev.memquota.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

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
  private final Fixture.TwoAccounts f = new Fixture.TwoAccounts(100_000, 100_000);

  @Actor
  public void closer() {
    f.pa.close();
  }

  @Actor
  public void reclaimer() {
    f.tasks.drain();
  }

  @Arbiter
  public void arbiter(III_Result r) {
    f.tasks.drain();
    r.r1 = f.a.isClosed() ? 1 : 0;
    r.r2 = f.b.isClosed() ? 1 : 0;
    r.r3 =
        f.tracker.usedBytes() == StressAccess.held(f.pb) && Fixture.consistent(f.tracker) == 1
            ? 1
            : 0;
  }
}
