package dev.memquota.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Account A holds 200 KB of the oldest data, over the maximum; account B holds a little younger
 * data; a cycle is queued and must reclaim A (without A, the total is under the low-water mark, so
 * B on its own is never a victim). One thread makes A a parent of B while the other runs the
 * cycle.
 *
 * <p>Result: (addParent succeeded ? 1 : refused with AccountClosedException ? 0 : other -1, B
 * closed ? 1 : 0, tracker consistent ? 1 : 0).
 */
@JCStressTest
@Description("addParent against reclamation of the new parent")
@Outcome(
    id = "1, 1, 1",
    expect = ACCEPTABLE,
    desc = "linked before the cycle listed A's descendants: B is reclaimed with its parent")
@Outcome(
    id = "0, 0, 1",
    expect = ACCEPTABLE,
    desc = "A was already reclaimed: the link is refused and B is untouched")
@Outcome(
    id = "1, 0, 1",
    expect = ACCEPTABLE_INTERESTING,
    desc = "linked after the cycle fixed A's victim set but before A closed: the victim set is a"
        + " snapshot, so B was not asked; closing A drops the link and B lives on")
@Outcome(expect = FORBIDDEN, desc = "B reclaimed without the link, or inconsistent links or totals")
@State
public class AddParentVsReclaimStress {
  private final Fixture.TwoAccounts f = new Fixture.TwoAccounts(200_000, 4_000);

  @Actor
  public void linker(III_Result r) {
    r.r1 = Fixture.attempt(() -> f.b.addParent(f.a));
  }

  @Actor
  public void reclaimer() {
    f.tasks.drain();
  }

  @Arbiter
  public void arbiter(III_Result r) {
    f.tasks.drain();
    r.r2 = f.b.isClosed() ? 1 : 0;
    r.r3 = f.a.isClosed() && Fixture.consistent(f.tracker) == 1 ? 1 : 0;
  }
}
