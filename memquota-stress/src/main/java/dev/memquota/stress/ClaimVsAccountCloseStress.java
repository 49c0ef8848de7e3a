package dev.memquota.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.memquota.Account;
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
 * A claim that must go to the tracker's total (it is larger than the cache) races with closing the
 * account. The claim reserves total before its CAS; the close flips the state word and takes off
 * what the word held. Whoever wins, nothing may stay on the total.
 *
 * <p>Result: (claim succeeded ? 1 : refused with AccountClosedException ? 0 : other -1, tracker
 * total afterwards, tracker consistent and empty ? 1 : 0).
 */
@JCStressTest
@Description("Claim against account close: no byte survives the close")
@Outcome(
    id = "1, 0, 1",
    expect = ACCEPTABLE,
    desc = "claim first; the close then releases it with everything else")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "close first; the claim is refused")
@Outcome(expect = FORBIDDEN, desc = "a reservation left on the total, or a wrong exception")
@State
public class ClaimVsAccountCloseStress {
  private final Fixture.Tasks tasks = new Fixture.Tasks();
  private final MemoryQuotaTracker tracker = Fixture.tracker(tasks);
  private final Account account = tracker.newAccount();
  private final Fixture.Holder holder = new Fixture.Holder(100);
  private final Participation p = account.register(holder);

  public ClaimVsAccountCloseStress() {
    p.claim(1000);
  }

  @Actor
  public void claimer(III_Result r) {
    r.r1 = Fixture.attempt(() -> p.claim(20_000));
  }

  @Actor
  public void closer() {
    account.close();
  }

  @Arbiter
  public void arbiter(III_Result r) {
    r.r2 = (int) tracker.usedBytes();
    r.r3 =
        Fixture.consistent(tracker) == 1
                && tracker.stats().participants() == 0
                && tracker.stats().accounts() == 0
            ? 1
            : 0;
  }
}
