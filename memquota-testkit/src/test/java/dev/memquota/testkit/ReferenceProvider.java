package dev.memquota.testkit;

import dev.memquota.MemoryQuotaTracker;
import dev.memquota.spi.MemoryQuotaProvider;
import dev.memquota.spi.TrackerSettings;
import java.util.EnumSet;
import java.util.Set;

/**
 * A naive reference engine, for proving that {@link MemoryQuotaTrackerContract} has teeth and as a
 * model for randomized testing of real engines. See {@link ReferenceTracker} for how it works.
 *
 * <p>With no {@link Flaw}, it is meant to be obviously correct. Each flaw makes it break one rule,
 * so that the contract can be shown to catch that breakage.
 */
final class ReferenceProvider implements MemoryQuotaProvider {

  /** One deliberate deviation from the reference semantics. */
  enum Flaw {
    /** Picks the account holding the youngest data instead of the oldest. */
    YOUNGEST_FIRST,
    /** Ends a cycle once the total is at or below the maximum, not the low-water mark. */
    STOPS_AT_MAX,
    /** Reclaims the victim account only, not its descendants. */
    IGNORES_DESCENDANTS,
    /** Reclaims the victim's ancestors as well as its descendants. */
    RECLAIMS_ANCESTORS,
    /** Account.close() by its owner forgets to subtract its participants' memory from the total. */
    KEEPS_MEMORY_ON_ACCOUNT_CLOSE,
    /** Waits for a participant's answer forever. */
    NEVER_TIMES_OUT,
    /** Counts PARTIAL-without-release as success: the account stays the oldest and loops. */
    TRUSTS_EMPTY_PARTIAL,
    /** Never tears down participants that were garbage-collected: their memory leaks. */
    LEAKS_COLLECTED_PARTICIPANTS,
    /** Calls oldestData() while holding the tracker's lock. */
    CALLS_BACK_UNDER_LOCK
  }

  private final Set<Flaw> flaws;

  /**
   * Creates the provider.
   *
   * @param flaws the deviations to build in; none for the reference engine
   */
  ReferenceProvider(Flaw... flaws) {
    this.flaws = flaws.length == 0 ? EnumSet.noneOf(Flaw.class) : EnumSet.of(flaws[0], flaws);
  }

  @Override
  public String name() {
    return flaws.isEmpty() ? "reference" : "reference-with-" + flaws;
  }

  @Override
  public MemoryQuotaTracker create(TrackerSettings settings) {
    return new ReferenceTracker(settings, flaws);
  }
}
