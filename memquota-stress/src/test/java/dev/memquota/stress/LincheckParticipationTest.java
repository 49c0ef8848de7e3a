package dev.memquota.stress;

import dev.memquota.Account;
import dev.memquota.MemoryQuotaException;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.Participation;
import dev.memquota.impl.StressAccess;
import java.time.Duration;
import org.jetbrains.lincheck.datastructures.LongGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Lincheck: claim, release and close through two participations of one tracker are linearizable
 * against a sequential model that only knows each participation's used bytes (a release of more
 * than is held is refused; a closed participation refuses claims and ignores releases). The sizes
 * cross the 16 KiB cache in both directions, so the shared total is written concurrently.
 *
 * <p>The tracker's total is, by contract, exact only when no claim or release is in flight, so it
 * is checked at quiescence by {@link #totalsAgree()} after every scenario: the total equals what
 * the two participations hold, each cache is within 0..16 KiB, and the tables agree.
 */
@Param(name = "bytes", gen = LongGen.class, conf = "1:20000")
public class LincheckParticipationTest {
  /** Scenarios per mode; CI uses the default, {@code -Dmemquota.lincheck.iterations=} for more. */
  private static final int ITERATIONS = Integer.getInteger("memquota.lincheck.iterations", 10);

  /** Interleavings explored per scenario by the model checker (slow: every access is traced). */
  private static final int MC_INVOCATIONS =
      Integer.getInteger("memquota.lincheck.invocations", 400);

  /** Runs per scenario in stress mode. */
  private static final int STRESS_INVOCATIONS = MC_INVOCATIONS * 5 / 2;

  private final MemoryQuotaTracker tracker =
      StressAccess.tracker(
          1L << 40, 1L << 39, () -> 1_000_000L, task -> {}, Duration.ofSeconds(5));
  private final Account account = tracker.newAccount();
  private final Fixture.Holder holderA = new Fixture.Holder(100);
  private final Fixture.Holder holderB = new Fixture.Holder(200);
  private final Participation a = account.register(holderA);
  private final Participation b = account.register(holderB);

  /** Claims or releases; no lambda, so that Lincheck's instrumentation sees plain calls. */
  private static String outcome(Participation p, boolean claim, long bytes) {
    try {
      if (claim) {
        p.claim(bytes);
      } else {
        p.release(bytes);
      }
      return "ok";
    } catch (IllegalArgumentException e) {
      return "refused";
    } catch (MemoryQuotaException e) {
      return e.getClass().getSimpleName();
    }
  }

  @Operation
  public String claimA(@Param(name = "bytes") long bytes) {
    return outcome(a, true, bytes);
  }

  @Operation
  public String releaseA(@Param(name = "bytes") long bytes) {
    return outcome(a, false, bytes);
  }

  @Operation
  public String claimB(@Param(name = "bytes") long bytes) {
    return outcome(b, true, bytes);
  }

  @Operation
  public String releaseB(@Param(name = "bytes") long bytes) {
    return outcome(b, false, bytes);
  }

  @Operation
  public void closeB() {
    b.close();
  }

  @Validate
  public void totalsAgree() {
    long heldA = StressAccess.held(a);
    long heldB = StressAccess.held(b);
    if (tracker.usedBytes() != heldA + heldB) {
      throw new IllegalStateException(
          "total " + tracker.usedBytes() + " but participations hold " + heldA + " + " + heldB);
    }
    for (Participation p : new Participation[] {a, b}) {
      long cache = StressAccess.held(p) - StressAccess.used(p);
      if (cache < 0 || cache > StressAccess.cacheMax()) {
        throw new IllegalStateException("cache out of bounds: " + cache);
      }
    }
    String problem = StressAccess.inconsistency(tracker);
    if (problem != null) {
      throw new IllegalStateException(problem);
    }
  }

  @Test
  void modelChecking() {
    new ModelCheckingOptions()
        .iterations(ITERATIONS)
        .invocationsPerIteration(MC_INVOCATIONS)
        .threads(2)
        .actorsPerThread(3)
        .sequentialSpecification(Model.class)
        .check(LincheckParticipationTest.class);
  }

  @Test
  void stress() {
    new StressOptions()
        .iterations(ITERATIONS)
        .invocationsPerIteration(STRESS_INVOCATIONS)
        .threads(2)
        .actorsPerThread(3)
        .sequentialSpecification(Model.class)
        .check(LincheckParticipationTest.class);
  }

  /** The sequential specification: used bytes per participation, nothing else. */
  public static final class Model {
    private long usedA;
    private long usedB;
    private boolean closedB;

    public String claimA(long bytes) {
      usedA += bytes;
      return "ok";
    }

    public String releaseA(long bytes) {
      if (bytes > usedA) {
        return "refused";
      }
      usedA -= bytes;
      return "ok";
    }

    public String claimB(long bytes) {
      if (closedB) {
        return "ParticipantClosedException";
      }
      usedB += bytes;
      return "ok";
    }

    public String releaseB(long bytes) {
      if (closedB) {
        return "ok";
      }
      if (bytes > usedB) {
        return "refused";
      }
      usedB -= bytes;
      return "ok";
    }

    public void closeB() {
      closedB = true;
      usedB = 0;
    }
  }
}
