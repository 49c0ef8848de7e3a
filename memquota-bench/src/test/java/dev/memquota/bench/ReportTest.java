package dev.memquota.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
  private static String result(String benchmark, String mode, String params, String primary, String secondary) {
    return """
        {"jmhVersion":"1.37","benchmark":"dev.memquota.bench.%s","mode":"%s","threads":1,"forks":2,
         "jvm":"/usr/bin/java","jvmArgs":["-Xmx1g"],"jdkVersion":"17.0.15","vmName":"OpenJDK 64-Bit Server VM",
         "vmVersion":"17.0.15+6","warmupIterations":1,"warmupTime":"1 s","warmupBatchSize":1,
         "measurementIterations":2,"measurementTime":"1 s","measurementBatchSize":1%s,
         "primaryMetric":%s,"secondaryMetrics":{%s}}
        """.formatted(benchmark, mode, params, primary, secondary);
  }

  private static String metric(double score, String error, String unit, String raw) {
    return """
        {"score":%s,"scoreError":%s,"scoreConfidence":[0,0],"scorePercentiles":{},"scoreUnit":"%s","rawData":%s}
        """.formatted(score, error, unit, raw);
  }

  private static final String SAMPLE =
      "["
          + String.join(
              ",",
              result("ClaimReleaseBench.b1Memquota", "avgt", "", metric(12, "1.2", "ns/op", "[[12,12]]"), ""),
              result("ClaimReleaseBench.b1AtomicLong", "avgt", "", metric(10, "\"NaN\"", "ns/op", "[[10,10]]"), ""),
              result("ContendedBench.b2Memquota", "thrpt", "", metric(150, "3", "ops/us", "[[150,150]]"), ""),
              result("ContendedBench.b2LockedTotal", "thrpt", "", metric(10, "1", "ops/us", "[[10,10]]"), ""),
              result("ContendedBench.b2ControlOwnAtomicLong", "thrpt", "",
                  metric(110, "1", "ops/us", "[[110,110]]"), ""),
              result("ReclaimBench.fullReclamation", "ss", ",\"params\":{\"accounts\":\"10000\"}",
                  metric(5, "1", "ms/op", "[[5,5]]"),
                  "\"cpuMs\":" + metric(8, "0", "#", "[[4,4]]")),
              result("ReclaimBench.fullReclamation", "ss", ",\"params\":{\"accounts\":\"100000\"}",
                  metric(80, "4", "ms/op", "[[80,80]]"), ""),
              result("FootprintBench.b5Footprint", "ss", "", metric(1, "0", "ms/op", "[[1]]"),
                  "\"graphPerParticipant\":" + metric(210, "0", "#", "[[70,70,70]]")
                      + ",\"heapPerParticipant\":" + metric(225, "0", "#", "[[74,75,76]]")))
          + "]";

  @Test
  void parsesNamesParamsAndNaNErrors() {
    List<Report.Result> results = Report.parse(SAMPLE);
    assertEquals(8, results.size());
    assertEquals("ClaimReleaseBench.b1Memquota", results.get(0).name());
    assertTrue(Double.isNaN(results.get(1).score().error()));
    assertEquals("100000", results.get(6).param("accounts"));
  }

  @Test
  void singleShotAuxCountersAreMeansOfTheSamplesNotJmhsSums() {
    Report.Result b5 = Report.parse(SAMPLE).get(7);
    assertEquals(75.0, b5.secondary().get("heapPerParticipant").value(), 1e-9);
    assertEquals(70.0, b5.secondary().get("graphPerParticipant").value(), 1e-9);
  }

  @Test
  void ratiosAndVerdicts() {
    Map<String, Report.Check> byMeasure = new java.util.HashMap<>();
    for (Report.Check c : Report.checks(Report.parse(SAMPLE))) {
      byMeasure.putIfAbsent(c.id() + " " + c.target(), c); // first of a kind
    }
    assertEquals(1.2, byMeasure.get("B1 <= 1.5").measured().orElseThrow().value(), 1e-9);
    assertEquals("**pass**", byMeasure.get("B1 <= 1.5").verdict());
    assertEquals(15.0, byMeasure.get("B2 >= 4").measured().orElseThrow().value(), 1e-9);
    // 150 ops/us against 1000 / 12 ns = 83.3 ops/us
    assertEquals(1.8, byMeasure.get("B2 >= 1.6").measured().orElseThrow().value(), 1e-9);
    assertEquals(16.0, byMeasure.get("B4 <= 15").measured().orElseThrow().value(), 1e-9);
    assertTrue(byMeasure.get("B4 <= 15").verdict().startsWith("**miss**"));
    assertEquals(75.0, byMeasure.get("B5 <= 128").measured().orElseThrow().value(), 1e-9);
    assertEquals("not run", byMeasure.get("B3 <= 2").verdict());
  }

  @Test
  void aControlThatCouldNotScaleIsExplained() {
    // 110 ops/us on two threads against 1000 / 10 ns = 100 ops/us on one: 1.1x
    List<String> notes = Report.notes(Report.parse(SAMPLE));
    assertEquals(1, notes.size());
    assertTrue(notes.get(0).contains("scaled only 1.10x"), notes.get(0));
  }

  @Test
  void rendersEveryFigureAndTheEnvironment() {
    List<Report.Result> results = Report.parse(SAMPLE);
    String md = Report.render(results, new Report.Environment("today", List.of("JDK 17")));
    assertTrue(md.contains("| `ClaimReleaseBench.b1AtomicLong` |"), md);
    assertTrue(md.contains("| `FootprintBench.b5Footprint:heapPerParticipant` |"), md);
    assertTrue(md.contains("- JDK 17"), md);
    assertTrue(Report.snippet(results).contains("**B1**"));
  }
}
