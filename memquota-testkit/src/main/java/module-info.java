/**
 * What downstream tests need: a manual clock, a manual executor, fake participants and the
 * conformance suite {@code MemoryQuotaTrackerContract} that any provider can run.
 */
module dev.memquota.testkit {
  requires transitive dev.memquota.api;
  requires transitive org.junit.jupiter.api;

  exports dev.memquota.testkit;
}
