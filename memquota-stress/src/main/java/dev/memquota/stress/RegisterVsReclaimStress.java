package dev.memquota.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.memquota.Account;
import dev.memquota.AccountClosedException;
import dev.memquota.MemoryQuotaException;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.Participation;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Account A alone holds 200 KB, over the maximum; a cycle is queued and must reclaim A. One thread
 * registers a new participant in A and claims through it while the other runs the cycle. However
 * they interleave, the new participation must not outlive its account: afterwards it refuses
 * claims, and the tracker is empty.
 *
 * <p>Result: (0 register refused, 1 registered but claim refused, 2 registered and claimed; new
 * participation still accepts a claim afterwards ? 1 : 0; total 0, no participant, consistent ? 1
 * : 0).
 */
@JCStressTest
@Description("Register against reclamation of the same account")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "A was reclaimed first; register refused")
@Outcome(
    id = "1, 0, 1",
    expect = ACCEPTABLE,
    desc = "registered, then A was reclaimed before the claim")
@Outcome(
    id = "2, 0, 1",
    expect = ACCEPTABLE,
    desc = "registered and claimed before A closed; the close released it (asked to reclaim or"
        + " not, depending on whether it was there when the victims' participants were listed)")
@Outcome(expect = FORBIDDEN, desc = "a participation that survives its reclaimed account, or bytes left over")
@State
public class RegisterVsReclaimStress {
  private final Fixture.Tasks tasks = new Fixture.Tasks();
  private final MemoryQuotaTracker tracker = Fixture.tracker(tasks);
  private final Account a = tracker.newAccount();
  private final Fixture.Holder oldest = new Fixture.Holder(100);
  private final Fixture.Holder newcomer = new Fixture.Holder(300);
  private final Participation pa = a.register(oldest);
  private volatile Participation late;

  public RegisterVsReclaimStress() {
    pa.claim(200_000);
  }

  @Actor
  public void registrar(III_Result r) {
    try {
      Participation q = a.register(newcomer);
      late = q;
      r.r1 = 1;
      q.claim(1000);
      r.r1 = 2;
    } catch (AccountClosedException e) {
      // r1 says how far it got
    } catch (RuntimeException e) {
      r.r1 = -1;
    }
  }

  @Actor
  public void reclaimer() {
    tasks.drain();
  }

  @Arbiter
  public void arbiter(III_Result r) {
    tasks.drain();
    Participation q = late;
    if (q != null) {
      try {
        q.claim(1);
        r.r2 = 1;
      } catch (MemoryQuotaException e) {
        r.r2 = 0;
      }
    }
    r.r3 =
        tracker.usedBytes() == 0
                && a.isClosed()
                && tracker.stats().participants() == 0
                && Fixture.consistent(tracker) == 1
            ? 1
            : 0;
  }
}
