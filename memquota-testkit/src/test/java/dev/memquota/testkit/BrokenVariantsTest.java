package dev.memquota.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.memquota.spi.MemoryQuotaProvider;
import dev.memquota.testkit.ReferenceProvider.Flaw;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Proves that {@link MemoryQuotaTrackerContract} has teeth: the reference engine with one {@link
 * Flaw} built in must fail the contract tests that guard the broken rule, each with an assertion
 * (not a crash).
 *
 * <p>Each nested class runs the whole contract against one flawed engine through JUnit's {@link
 * EngineTestKit}. Surefire does not run nested classes on its own (its default excludes skip
 * {@code *$*}), so they only run from here.
 */
class BrokenVariantsTest {

  /** The contract against the reference engine with one flaw. */
  abstract static class Broken extends MemoryQuotaTrackerContract {
    private final Flaw flaw;

    Broken(Flaw flaw) {
      this.flaw = flaw;
    }

    @Override
    protected MemoryQuotaProvider provider() {
      return new ReferenceProvider(flaw);
    }

    /** Flawed engines make some waits run to the end; keep them short. */
    @Override
    protected Duration patience() {
      return Duration.ofSeconds(1);
    }
  }

  static class YoungestFirst extends Broken {
    YoungestFirst() {
      super(Flaw.YOUNGEST_FIRST);
    }
  }

  static class StopsAtMax extends Broken {
    StopsAtMax() {
      super(Flaw.STOPS_AT_MAX);
    }
  }

  static class IgnoresDescendants extends Broken {
    IgnoresDescendants() {
      super(Flaw.IGNORES_DESCENDANTS);
    }
  }

  static class ReclaimsAncestors extends Broken {
    ReclaimsAncestors() {
      super(Flaw.RECLAIMS_ANCESTORS);
    }
  }

  static class KeepsMemoryOnAccountClose extends Broken {
    KeepsMemoryOnAccountClose() {
      super(Flaw.KEEPS_MEMORY_ON_ACCOUNT_CLOSE);
    }
  }

  static class NeverTimesOut extends Broken {
    NeverTimesOut() {
      super(Flaw.NEVER_TIMES_OUT);
    }
  }

  static class TrustsEmptyPartial extends Broken {
    TrustsEmptyPartial() {
      super(Flaw.TRUSTS_EMPTY_PARTIAL);
    }
  }

  static class LeaksCollectedParticipants extends Broken {
    LeaksCollectedParticipants() {
      super(Flaw.LEAKS_COLLECTED_PARTICIPANTS);
    }
  }

  static class CallsBackUnderLock extends Broken {
    CallsBackUnderLock() {
      super(Flaw.CALLS_BACK_UNDER_LOCK);
    }
  }

  @Test
  void reclaimingTheYoungestFirstIsCaught() {
    assertCaught(
        YoungestFirst.class,
        "reclaimsOldestAccountFirst",
        "reclaimsTheSevenOldestOfTwentyOneAccounts",
        "accountAgeIsItsOldestParticipant",
        "participantHidingItsDataIsReclaimedFirst");
  }

  @Test
  void stoppingAtMaxInsteadOfLowWaterIsCaught() {
    assertCaught(
        StopsAtMax.class,
        "reclamationContinuesBelowMaxDownToLowWater",
        "reclaimsTheSevenOldestOfTwentyOneAccounts",
        "loweringMaxBelowTheTotalStartsReclamation");
  }

  @Test
  void ignoringDescendantsIsCaught() {
    assertCaught(
        IgnoresDescendants.class,
        "reclaimingAnAccountReclaimsItsDescendants",
        "parentOlderThanItsChildTakesTheChildWithIt",
        "childWithTwoParentsIsReclaimedWithItsFirstParent",
        "childWithTwoParentsIsReclaimedWithItsAddedParent",
        "descendantWithoutParticipantsIsClosedWithItsAncestor");
  }

  @Test
  void reclaimingAncestorsIsCaught() {
    assertCaught(ReclaimsAncestors.class, "childOlderThanItsParentGoesAlone", "addParentRejectsCycles");
  }

  @Test
  void keepingMemoryOnAccountCloseIsCaught() {
    assertCaught(
        KeepsMemoryOnAccountClose.class,
        "closingAllAccountsBringsTheTotalToZero",
        "accountCloseReleasesItsMemoryButNotItsChildren",
        "unreachableAccountIsClosedAfterGarbageCollection");
  }

  @Test
  void neverTimingOutIsCaught() {
    assertCaught(
        NeverTimesOut.class,
        "participantThatTimesOutIsTreatedAsCollapse",
        "answerAfterTheTimeoutIsIgnored");
  }

  @Test
  void loopingOnPartialWithoutReleaseIsCaught() {
    assertCaught(TrustsEmptyPartial.class, "partialWithoutReleaseIsTreatedAsCollapse");
  }

  @Test
  void leakingCollectedParticipantsIsCaught() {
    assertCaught(
        LeaksCollectedParticipants.class,
        "garbageCollectedParticipantIsReleased",
        "garbageCollectedParticipantIsReleasedByTheNextCycle");
  }

  @Test
  void callingBackUnderTheLockIsCaught() {
    assertCaught(CallsBackUnderLock.class, "callbacksRunWithoutTheTrackersLock");
  }

  /**
   * Runs the contract against {@code variant} and checks that each of {@code expected} failed with
   * an assertion error.
   */
  private static void assertCaught(Class<? extends Broken> variant, String... expected) {
    EngineExecutionResults results =
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(variant)).execute();
    long started = results.testEvents().started().count();
    assertTrue(started >= 50, () -> variant.getSimpleName() + ": only " + started + " contract tests ran");
    Map<String, Throwable> failed = new TreeMap<>();
    results.testEvents().failed().stream()
        .forEach(e -> failed.put(methodName(e), failure(e)));
    String report =
        failed.entrySet().stream()
            .map(f -> "  " + f.getKey() + ": " + f.getValue())
            .collect(Collectors.joining("\n"));
    for (String name : List.of(expected)) {
      Throwable why = failed.get(name);
      if (why == null) {
        fail(
            "the contract did not catch "
                + variant.getSimpleName()
                + ": "
                + name
                + " passed; the contract tests that failed were:\n"
                + report);
      }
      if (!(why instanceof AssertionError)) {
        fail(variant.getSimpleName() + ": " + name + " failed, but not with an assertion: " + why);
      }
    }
  }

  private static String methodName(Event event) {
    return event.getTestDescriptor().getSource()
        .filter(MethodSource.class::isInstance)
        .map(s -> ((MethodSource) s).getMethodName())
        .orElse(event.getTestDescriptor().getDisplayName());
  }

  private static Throwable failure(Event event) {
    return event.getPayload(TestExecutionResult.class)
        .flatMap(TestExecutionResult::getThrowable)
        .orElseGet(() -> new AssertionError("failed without a throwable"));
  }
}
