package dev.memquota.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoublePredicate;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Turns JMH's JSON results into {@code docs/benchmarks.md} (every figure, the ratios against the
 * targets of issue 5, the machine) and {@code docs/benchmarks-readme-snippet.md} (ratios only).
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.memquota.bench.Report RESULTS.json OUT.md SNIPPET.md}
 */
public final class Report {
  /** The command that produces the report; quoted in it. */
  static final String COMMAND = "bash memquota-bench/run-benchmarks.sh";

  private Report() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: Report RESULTS.json OUT.md SNIPPET.md");
      System.exit(2);
    }
    List<Result> results = parse(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8));
    Environment env = Environment.current(results);
    Files.writeString(Path.of(args[1]), render(results, env), StandardCharsets.UTF_8);
    Files.writeString(Path.of(args[2]), snippet(results), StandardCharsets.UTF_8);
    System.out.println("wrote " + args[1] + " and " + args[2]);
  }

  // ---------------------------------------------------------------- results

  /** A figure with its 99.9% confidence half-width ({@code NaN} when unknown). */
  record Figure(double value, double error) {
    double relativeError() {
      return Double.isNaN(error) ? Double.NaN : error / Math.abs(value);
    }

    /** {@code this / other}, relative errors added in quadrature. */
    Figure over(Figure other) {
      double v = value / other.value;
      return new Figure(v, Math.abs(v) * Math.hypot(relativeError(), other.relativeError()));
    }
  }

  /** One JMH result row: a benchmark method with one set of parameters. */
  record Result(
      String name,
      Map<String, String> params,
      String mode,
      int threads,
      int forks,
      int warmupIterations,
      String warmupTime,
      int measurementIterations,
      String measurementTime,
      Figure score,
      String unit,
      Map<String, Figure> secondary,
      Map<String, String> secondaryUnits,
      String jdk,
      String vm,
      List<String> jvmArgs) {

    String param(String key) {
      return params.get(key);
    }

    /** Throughput in operations per microsecond, from either a throughput or a time figure. */
    Figure opsPerMicrosecond() {
      return switch (unit) {
        case "ops/us" -> score;
        case "ns/op" -> new Figure(1000 / score.value, 1000 / score.value * score.relativeError());
        default -> throw new IllegalStateException(name + ": cannot convert " + unit);
      };
    }
  }

  @SuppressWarnings("unchecked")
  static List<Result> parse(String json) {
    List<Result> out = new ArrayList<>();
    for (Object o : (List<Object>) Json.parse(json)) {
      Map<String, Object> b = (Map<String, Object>) o;
      String fullName = (String) b.get("benchmark");
      String[] parts = fullName.split("\\.");
      String name = parts[parts.length - 2] + "." + parts[parts.length - 1];
      Map<String, String> params = new LinkedHashMap<>();
      Object p = b.get("params");
      if (p instanceof Map<?, ?> m) {
        m.forEach((k, v) -> params.put((String) k, String.valueOf(v)));
      }
      String mode = (String) b.get("mode");
      Map<String, Object> primary = (Map<String, Object>) b.get("primaryMetric");
      Map<String, Figure> secondary = new LinkedHashMap<>();
      Map<String, String> secondaryUnits = new LinkedHashMap<>();
      Object sec = b.get("secondaryMetrics");
      if (sec instanceof Map<?, ?> m) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
          Map<String, Object> metric = (Map<String, Object>) e.getValue();
          // In single-shot mode JMH sums @AuxCounters events over the iterations; use the
          // per-iteration values instead.
          Figure f = "ss".equals(mode) ? fromRaw(metric) : figure(metric);
          secondary.put((String) e.getKey(), f);
          secondaryUnits.put((String) e.getKey(), (String) metric.get("scoreUnit"));
        }
      }
      out.add(
          new Result(
              name,
              params,
              mode,
              (int) Json.number(b.get("threads")),
              (int) Json.number(b.get("forks")),
              (int) Json.number(b.get("warmupIterations")),
              (String) b.get("warmupTime"),
              (int) Json.number(b.get("measurementIterations")),
              (String) b.get("measurementTime"),
              figure(primary),
              (String) primary.get("scoreUnit"),
              secondary,
              secondaryUnits,
              (String) b.get("jdkVersion"),
              b.get("vmName") + " " + b.get("vmVersion"),
              ((List<Object>) b.getOrDefault("jvmArgs", List.of()))
                  .stream().map(String::valueOf).toList()));
    }
    return out;
  }

  private static Figure figure(Map<String, Object> metric) {
    return new Figure(Json.number(metric.get("score")), Json.number(metric.get("scoreError")));
  }

  /** Mean of every raw sample, with a 99.9% Student-t half-width as JMH computes it. */
  @SuppressWarnings("unchecked")
  private static Figure fromRaw(Map<String, Object> metric) {
    List<Double> samples = new ArrayList<>();
    for (Object fork : (List<Object>) metric.get("rawData")) {
      for (Object v : (List<Object>) fork) {
        samples.add(Json.number(v));
      }
    }
    int n = samples.size();
    double mean = samples.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    if (n < 2) {
      return new Figure(mean, Double.NaN);
    }
    double var = samples.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / (n - 1);
    double t = new TDistribution(n - 1).inverseCumulativeProbability(1 - 0.001 / 2);
    return new Figure(mean, t * Math.sqrt(var / n));
  }

  private static Optional<Result> find(List<Result> results, String name, String... params) {
    return results.stream()
        .filter(r -> r.name.equals(name))
        .filter(
            r -> {
              for (int i = 0; i + 1 < params.length; i += 2) {
                if (!params[i + 1].equals(r.param(params[i]))) {
                  return false;
                }
              }
              return true;
            })
        .findFirst();
  }

  // ---------------------------------------------------------------- targets

  /** One line of the targets table. */
  record Check(
      String id, String what, String measure, Optional<Figure> measured, String target,
      DoublePredicate passes, String unitSuffix) {

    String verdict() {
      if (measured.isEmpty()) {
        return "not run";
      }
      Figure f = measured.get();
      boolean pass = passes.test(f.value);
      boolean certain =
          Double.isNaN(f.error) || passes.test(f.value - f.error) == passes.test(f.value + f.error);
      return (pass ? "**pass**" : "**miss**") + (certain ? "" : " (within error)");
    }
  }

  static List<Check> checks(List<Result> results) {
    List<Check> out = new ArrayList<>();
    Optional<Result> b1 = find(results, "ClaimReleaseBench.b1Memquota");
    Optional<Result> b2 = find(results, "ContendedBench.b2Memquota");
    out.add(
        new Check(
            "B1",
            "one thread, `claim(64)` + `release(64)` on one participation (cache path)",
            "time / time of an uncontended `AtomicLong` add + subtract",
            ratio(b1, find(results, "ClaimReleaseBench.b1AtomicLong")),
            "<= 1.5",
            v -> v <= 1.5,
            "x"));
    out.add(
        new Check(
            "B2",
            "two threads, each its own participation in one account",
            "throughput / throughput of the same two threads on one lock-guarded total",
            ratio(b2, find(results, "ContendedBench.b2LockedTotal")),
            ">= 4",
            v -> v >= 4,
            "x"));
    out.add(
        new Check(
            "B2",
            "(same)",
            "two-thread throughput / B1's single-thread throughput",
            scaling(b2, b1),
            ">= 1.6",
            v -> v >= 1.6,
            "x"));
    out.add(
        new Check(
            "B2",
            "(control, for information) two threads, each its own `AtomicLong`",
            "two-thread throughput / B1's `AtomicLong` single-thread throughput: the scaling"
                + " this machine allowed during the run",
            controlScaling(results),
            ">= 1.6",
            v -> v >= 1.6,
            "x"));
    out.add(
        new Check(
            "B3",
            "one thread, `claim(64 KiB)` + `release(64 KiB)` (always beyond the cache)",
            "time / time of the same pair on a lock-guarded total",
            ratio(find(results, "ClaimReleaseBench.b3Memquota"),
                find(results, "ClaimReleaseBench.b3LockedTotal")),
            "<= 2",
            v -> v <= 2,
            "x"));
    out.add(reclaimScaling(results, "100000", "10000",
        "one full reclamation (max to low water), N accounts of one participant each",
        "time(N = 100k) / time(N = 10k)"));
    out.add(reclaimScaling(results, "10000", "1000", "(same, for information)",
        "time(N = 10k) / time(N = 1k)"));
    String reclaim = "ReclaimBench.fullReclamation";
    out.add(new Check("B4", "(same, for information)",
        "thread CPU time(N = 100k) / thread CPU time(N = 10k): not inflated by waiting for a core",
        secondary(results, reclaim, "100000", "cpuMs").flatMap(a ->
            secondary(results, reclaim, "10000", "cpuMs").map(a::over)),
        "<= 15", v -> v <= 15, "x"));
    Optional<Result> b5 = find(results, "FootprintBench.b5Footprint");
    out.add(
        new Check(
            "B5",
            "tracker-side bytes per registered participant, handle included, at 100k",
            "the larger of the graph and heap measurements",
            b5.map(r -> larger(r.secondary.get("graphPerParticipant"),
                r.secondary.get("heapPerParticipant"))),
            "<= 128",
            v -> v <= 128,
            " B"));
    out.add(
        new Check(
            "B6",
            "`TrackedQueue` offer + poll, one producer, one consumer",
            "time per item delivered / the same through the untracked queue it is built on",
            itemTimeRatio(find(results, "QueueBench.b6Tracked"),
                find(results, "QueueBench.b6Untracked")),
            "<= 1.5",
            v -> v <= 1.5,
            "x"));
    out.add(
        new Check(
            "B6",
            "(for information) offer + poll on one thread, no contention",
            "time / time of the untracked queue",
            ratio(find(results, "QueueBench.b6TrackedOneThread"),
                find(results, "QueueBench.b6UntrackedOneThread")),
            "<= 1.5",
            v -> v <= 1.5,
            "x"));
    return out;
  }

  /** Two-thread throughput over one-thread throughput. */
  private static Optional<Figure> scaling(Optional<Result> two, Optional<Result> one) {
    return two.flatMap(r -> one.map(s -> r.opsPerMicrosecond().over(s.opsPerMicrosecond())));
  }

  private static Optional<Figure> controlScaling(List<Result> results) {
    return scaling(find(results, "ContendedBench.b2ControlOwnAtomicLong"),
        find(results, "ClaimReleaseBench.b1AtomicLong"));
  }

  private static Optional<Figure> secondary(
      List<Result> results, String name, String accounts, String metric) {
    return find(results, name, "accounts", accounts)
        .flatMap(r -> Optional.ofNullable(r.secondary.get(metric)));
  }

  private static Check reclaimScaling(
      List<Result> results, String n, String tenthOfN, String what, String measure) {
    String name = "ReclaimBench.fullReclamation";
    return new Check("B4", what, measure,
        ratio(find(results, name, "accounts", n), find(results, name, "accounts", tenthOfN)),
        "<= 15", v -> v <= 15, "x");
  }

  /** Ratio of the time per delivered item: the inverse ratio of the "items" rates. */
  private static Optional<Figure> itemTimeRatio(Optional<Result> a, Optional<Result> b) {
    return a.flatMap(x -> b.map(y -> y.secondary.get("items").over(x.secondary.get("items"))))
        .filter(f -> !Double.isNaN(f.value));
  }

  private static Optional<Figure> ratio(Optional<Result> a, Optional<Result> b) {
    return a.flatMap(x -> b.map(y -> x.score.over(y.score)));
  }

  private static Figure larger(Figure a, Figure b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return a.value >= b.value ? a : b;
  }

  // ---------------------------------------------------------------- rendering

  static String render(List<Result> results, Environment env) {
    StringBuilder md = new StringBuilder();
    md.append("# Benchmarks\n\n")
        .append("Generated by `").append(COMMAND).append("` on ").append(env.date)
        .append(" from JMH's JSON output (`memquota-bench/target/jmh-result.json`); do not edit by")
        .append(" hand. Ratios compare figures measured in the same run. Errors are JMH's 99.9%")
        .append(" confidence half-widths; a ratio's error adds the relative errors of its two")
        .append(" figures in quadrature. \"(within error)\" marks a verdict that the error interval")
        .append(" does not settle.\n\n");

    md.append("## Targets (issue 5)\n\n")
        .append("| id | what | measured as | ratio or value | target | result |\n")
        .append("|---|---|---|---|---|---|\n");
    for (Check c : checks(results)) {
      md.append("| ").append(c.id).append(" | ").append(c.what).append(" | ").append(c.measure)
          .append(" | ")
          .append(c.measured.map(f -> withError(f, 2) + c.unitSuffix).orElse("-"))
          .append(" | ").append(c.target).append(" | ").append(c.verdict()).append(" |\n");
    }

    List<String> notes = notes(results);
    if (!notes.isEmpty()) {
      md.append("\n### Notes on this run\n\n");
      notes.forEach(n -> md.append("- ").append(n).append('\n'));
    }

    md.append("\n## B4: absolute times\n\n")
        .append("| accounts | victims (about N/4) | wall time | thread CPU time |\n")
        .append("|---|---|---|---|\n");
    for (Result r : results) {
      if (r.name.equals("ReclaimBench.fullReclamation")) {
        int n = Integer.parseInt(r.param("accounts"));
        Figure cpu = r.secondary.get("cpuMs");
        md.append("| ").append(String.format(Locale.ROOT, "%,d", n)).append(" | ")
            .append(String.format(Locale.ROOT, "%,d", n / 4 + 1)).append(" | ")
            .append(withError(r.score, 3)).append(" ").append(r.unit).append(" | ")
            .append(cpu == null ? "-" : withError(cpu, 3) + " ms").append(" |\n");
      }
    }

    find(results, "FootprintBench.b5Footprint").ifPresent(r -> {
      md.append("\n## B5: tracker-side memory\n\n")
          .append("| per | graph (JOL) | heap difference |\n|---|---|---|\n")
          .append("| registered participant, participation handle included | ")
          .append(bytes(r.secondary.get("graphPerParticipant"))).append(" | ")
          .append(bytes(r.secondary.get("heapPerParticipant"))).append(" |\n")
          .append("| account, account handle included, no participant | ")
          .append(bytes(r.secondary.get("graphPerAccount"))).append(" | ")
          .append(bytes(r.secondary.get("heapPerAccount"))).append(" |\n");
    });

    md.append("\n## All figures\n\n")
        .append("| benchmark | params | mode | threads | forks x (warmup + measured) iterations")
        .append(" | score | error (99.9%) | unit |\n")
        .append("|---|---|---|---|---|---|---|---|\n");
    for (Result r : results) {
      String params = r.params.isEmpty() ? "" : r.params.toString().replaceAll("[{}]", "");
      md.append("| `").append(r.name).append("` | ").append(params).append(" | ").append(r.mode)
          .append(" | ").append(r.threads).append(" | ").append(r.forks).append(" x (")
          .append(r.warmupIterations).append(" + ").append(r.measurementIterations).append(")")
          .append(iterationTime(r)).append(" | ").append(number(r.score.value, 3)).append(" | ")
          .append(number(r.score.error, 3)).append(" | ").append(r.unit).append(" |\n");
      r.secondary.forEach((k, f) -> md.append("| `").append(r.name).append(":").append(k)
          .append("` | ").append(params).append(" | | | | ").append(number(f.value, 3))
          .append(" | ").append(number(f.error, 3)).append(" | ")
          .append(r.secondaryUnits.get(k)).append(" |\n"));
    }

    md.append("\n## Environment\n\n");
    env.lines.forEach(l -> md.append("- ").append(l).append('\n'));
    md.append('\n').append(METHOD);
    return md.toString();
  }

  static String snippet(List<Result> results) {
    StringBuilder s = new StringBuilder("### Performance\n\n");
    List<Check> cs = checks(results);
    s.append("Measured with JMH against simple baselines in the same run (full figures, errors")
        .append(" and method in [docs/benchmarks.md](docs/benchmarks.md); reproduce with `")
        .append(COMMAND).append("`):\n\n");
    for (Check c : cs) {
      if (c.measured.isEmpty() || c.what.contains("for information")) {
        continue;
      }
      s.append("- **").append(c.id).append("** ").append(c.what).append(": ")
          .append(number(c.measured.get().value, c.unitSuffix.equals(" B") ? 0 : 2))
          .append(c.unitSuffix).append(" (").append(c.measure).append("; target ")
          .append(c.target).append(c.unitSuffix.equals(" B") ? " B" : "").append(", ")
          .append(c.verdict().replace("**", "")).append(").\n");
    }
    return s.toString();
  }

  /** Remarks that follow from the figures themselves, such as a machine that could not scale. */
  static List<String> notes(List<Result> results) {
    List<String> out = new ArrayList<>();
    Optional<Figure> control = controlScaling(results);
    control.filter(f -> f.value < 1.6).ifPresent(f -> out.add(
        "The B2 control (two threads, nothing shared) scaled only "
            + number(f.value, 2)
            + "x over one thread: during this run the two threads did not get two cores (the"
            + " machine is shared; see the load average below). Neither B2 ratio can be judged"
            + " from this run: the scaling target needs two free cores, and a lock shared by two"
            + " threads that take turns on one core is hardly contended, which flatters the"
            + " lock baseline. Re-run on an idle machine."));
    control.filter(f -> f.value >= 1.6).ifPresent(f -> out.add(
        "The B2 control (two threads, nothing shared) scaled "
            + number(f.value, 2)
            + "x over one thread: the machine provided two cores while the control ran. Each"
            + " benchmark runs in its own forks at its own time, so on a shared machine the other"
            + " B2 forks may still have had less."));
    Optional<Result> clock = find(results, "QueueBench.b6ClockRead");
    Optional<Result> tracked = find(results, "QueueBench.b6TrackedOneThread");
    Optional<Result> untracked = find(results, "QueueBench.b6UntrackedOneThread");
    if (clock.isPresent() && tracked.isPresent() && untracked.isPresent()) {
      double withoutClock = tracked.get().score.value - clock.get().score.value;
      out.add(
          "B6 on one thread: a tracked offer + poll took "
              + number(tracked.get().score.value, 1)
              + " ns against "
              + number(untracked.get().score.value, 1)
              + " ns untracked; one reading of the tracker's clock (System.nanoTime(), which stamps"
              + " every item with its age and which the untracked queue does not need) took "
              + number(clock.get().score.value, 1)
              + " ns of that. Without it the ratio would be "
              + number(withoutClock / untracked.get().score.value, 2)
              + "x; the rest is the claim and release (B1) and the per-item entry (-prof gc: one"
              + " 32-byte allocation per item). Plan: an opt-in coarse clock for queues (a reading"
              + " of System.nanoTime() cached by one ticker thread, on the same timeline as the"
              + " tracker's clock, so ages stay comparable), and entries kept in primitive ring"
              + " buffers instead of one object per item.");
    }
    return out;
  }

  private static String iterationTime(Result r) {
    return "single-shot".equals(r.measurementTime) ? ", single-shot" : " of " + r.measurementTime;
  }

  private static String bytes(Figure f) {
    return f == null ? "-" : withError(f, 1) + " B";
  }

  private static String withError(Figure f, int decimals) {
    return number(f.value, decimals) + " ± " + number(f.error, decimals);
  }

  private static String number(double v, int decimals) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%,." + decimals + "f", v);
  }

  // ---------------------------------------------------------------- environment

  /** What the report says about where it ran. */
  record Environment(String date, List<String> lines) {
    static Environment current(List<Result> results) {
      List<String> lines = new ArrayList<>();
      results.stream().findFirst().ifPresent(r -> lines.add("JDK " + r.jdk + " (" + r.vm + ")"));
      lines.add("OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version")
          + " " + System.getProperty("os.arch"));
      lines.add("CPU: " + cpuModel() + ", " + Runtime.getRuntime().availableProcessors()
          + " cores available to the JVM");
      lines.add("Memory: " + memory());
      lines.add("Load average (1, 5, 15 min) when the report was written: " + loadAverage()
          + " - the machine is shared; a load above the core count means the benchmarks"
          + " competed for CPU");
      String date =
          ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
      return new Environment(date, lines);
    }

    private static String cpuModel() {
      return procLine("/proc/cpuinfo", "model name")
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .orElse(System.getProperty("os.arch"));
    }

    private static String memory() {
      java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
      if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
        return String.format(Locale.ROOT, "%.1f GiB", sun.getTotalMemorySize() / (double) (1L << 30));
      }
      return "unknown";
    }

    private static String loadAverage() {
      try {
        String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
        return f[0] + ", " + f[1] + ", " + f[2];
      } catch (IOException | RuntimeException e) {
        return String.format(Locale.ROOT, "%.2f (1 min)",
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      }
    }

    private static Optional<String> procLine(String file, String prefix) {
      try {
        return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(prefix)).findFirst();
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    }
  }

  // ---------------------------------------------------------------- method

  private static final String METHOD =
      """
      ## Method

      All trackers are created through the public API (`MemoryQuotaTracker.builder()...build()`);
      the engine is found by `ServiceLoader` on the class path. Every benchmark's maximum is far
      above what it claims (no reclamation), except B4's.

      - **B1** (`ClaimReleaseBench.b1*`, average time): one thread, `claim(64)` then
        `release(64)` on one participation. After the first claim the participation's cache holds
        the bytes, so both calls are the cache path: one compare-and-set each on the
        participation's state word. Baseline: `AtomicLong.addAndGet(64)` then `addAndGet(-64)`.
      - **B2** (`ContendedBench.b2*`, throughput, 2 threads): each thread registers its own
        participation in one shared account and does B1's pair. Baseline: the same two threads
        calling a `synchronized` claim and release on one shared total (`LockedTotal`). The second
        B2 ratio compares the two-thread throughput with B1's single-thread throughput
        (1000 / B1's ns per pair). A control, `b2ControlOwnAtomicLong`, has each thread work on
        its own `AtomicLong`: nothing is shared, so its scaling over B1's `AtomicLong` baseline is
        what the machine itself allowed during the run; on a shared machine whose load exceeds
        its cores, the two threads time-share one core and no design can scale.
      - **B3** (`ClaimReleaseBench.b3*`, average time): `claim(65536)` then `release(65536)`:
        larger than the 16 KiB cache, so both calls also update the tracker's total. Baseline:
        the same pair on `LockedTotal`.
      - The `LockedTotal` baselines run with `-XX:-EliminateLocks`: otherwise C2 coarsens the two
        adjacent `synchronized` blocks into one, which a real claim and a later release, made far
        apart, never get.
      - **B4** (`ReclaimBench`, single shot): each shot builds (untimed) a tracker over N accounts
        of one participant each, every participant holding 64 KiB with a distinct data age (a
        shuffled permutation), and lowers the maximum to just below the total. The tracker's
        executor only queues tasks; the timed method runs the queued tasks until none is left,
        i.e. one whole cycle: the heap over all N accounts, then about N/4 victims (down to the
        default low-water mark, 75% of the maximum), each asked to reclaim and answering
        `COLLAPSING` synchronously. A full GC ends each set-up. Besides wall time the benchmark
        reports the measuring thread's CPU time, which waiting for a core does not inflate (other
        processes' use of the shared caches and memory still does, and hits N = 100k, whose
        records no longer fit in cache, hardest).
      - **B5** (`FootprintBench`, secondary results): at 100,000 participants registered in one
        account, and separately 100,000 accounts with no participant, against an empty tracker.
        *Graph*: JOL's `GraphLayout` over the tracker and the handles (participations or
        accounts) as roots, minus the same for the empty tracker, divided by 100,000. The tracker
        holds participants through weak references, which JOL follows; the participant class
        has no fields and its instances are subtracted, so no participant memory is counted.
        *Heap*: heap in use after repeated full GCs, before and after registering, with the
        participants and the arrays that keep the handles allocated before the first reading.
        The verdict uses the larger of the two. The time JMH prints for this benchmark is
        meaningless.
      - **B6** (`QueueBench`, throughput, a JMH group of one producer and one consumer thread):
        items offered by the producer and polled by the consumer through a `TrackedQueue` (cost
        1500 bytes each), against the untracked queue it is built on: an `ArrayDeque` under a
        `ReentrantLock` with a "not empty" condition, the queue's own structure without the
        accounting. The producer keeps at most 1024 items queued. A poll that finds the queue
        empty is cheap and says nothing, so the consumer counts the items it receives (the
        `items` rate) and the ratio is that of the time per item, the inverse of the rates. For
        information, `b6*OneThread` offers and polls on one thread: the cost per item without
        contention or scheduling.

      Settings are in the annotations of each benchmark class; `run-benchmarks.sh` passes any
      extra arguments to JMH (for example `-f 1 -wi 1 -i 1` for a quick check).
      """;
}
