package dev.memquota.examples.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memquota.examples.relay.RelayUnderAttackDemo.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs a short demo (about 10 s for both runs) and checks the success figures. These are counts
 * and byte totals, not timings.
 */
class RelayUnderAttackDemoTest {
  private static final Path REPORT = Path.of("target", "relay-demo-test-report.html");
  private static final int HONEST = 100;
  private static final int ATTACKERS = 24;
  private static Outcome outcome;

  @BeforeAll
  static void runShortDemo() throws Exception {
    DemoOptions o =
        DemoOptions.parse(
            "--seconds=6",
            "--honest=" + HONEST,
            "--honest-bytes=128k",
            "--attackers=" + ATTACKERS,
            "--max=1m",
            "--low-water=768k",
            "--cap=16m",
            "--report=" + REPORT,
            "--quiet");
    outcome =
        RelayUnderAttackDemo.run(
            o, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    // The figures go into the build log, so that a failure (or a narrow margin) can be read there.
    System.out.print(Report.table(outcome.without(), outcome.with()));
  }

  @Test
  void everyClientWasStartedInTheProtectedRun() {
    assertEquals(HONEST, outcome.with().honestStarted());
    assertEquals(ATTACKERS, outcome.with().attackersStarted());
  }

  @Test
  void peakStaysWithinMaxPlusCachesPlusOneItem() {
    RunResult with = outcome.with();
    assertTrue(with.peakTrackedBytes() > with.maxBytes(), "the attack must pass the maximum: " + with);
    assertTrue(
        with.peakTrackedBytes() <= with.peakBound(),
        "peak " + with.peakTrackedBytes() + " > bound " + with.peakBound());
  }

  @Test
  void atLeast99PercentOfHonestClientsComplete() {
    RunResult with = outcome.with();
    assertTrue(
        with.honestCompletedShare() >= 0.99,
        with.honestCompleted() + "/" + with.honestStarted() + " honest sessions completed");
  }

  @Test
  void atLeast90PercentOfAttackersAreReclaimed() {
    RunResult with = outcome.with();
    assertTrue(
        with.attackersReclaimedShare() >= 0.90,
        with.attackersReclaimed() + "/" + with.attackersStarted() + " attackers reclaimed");
  }

  @Test
  void noHonestClientIsReclaimedWhileAnOlderAttackerRemains() {
    assertEquals(0, outcome.with().honestReclaimedBeforeOlderAttacker());
  }

  @Test
  void withoutTheQuotaBufferedBytesReachFiveTimesTheProtectedPeakOrTheCap() {
    RunResult without = outcome.without();
    long protectedPeak = outcome.with().peakTrackedBytes();
    assertTrue(
        without.peakBufferedBytes() >= 5 * protectedPeak
            || without.peakBufferedBytes() >= without.capBytes(),
        "unprotected peak " + without.peakBufferedBytes() + " vs protected " + protectedPeak);
    assertEquals(0, without.attackersReclaimed());
  }

  @Test
  void theReportIsSelfContainedHtmlWithBothCharts() throws Exception {
    String html = Files.readString(REPORT, StandardCharsets.UTF_8);
    assertEquals(2, html.split("<svg", -1).length - 1, "two charts");
    assertTrue(html.contains("low water"));
    assertTrue(html.contains("<polyline"));
    assertFalse(html.contains("<script"), "no scripts");
    assertFalse(html.contains("src="), "no external resources");
    assertFalse(html.contains("href="), "no external resources");
    assertFalse(html.contains("@import") || html.contains("url("), "no external fonts or styles");
  }
}
