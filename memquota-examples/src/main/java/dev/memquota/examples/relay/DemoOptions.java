package dev.memquota.examples.relay;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Settings of the relay-under-attack demo; {@link #parse(String[])} reads them from {@code
 * --name=value} flags. Byte sizes accept the suffixes {@code k} and {@code m} (binary).
 *
 * @param runTime how long each of the two runs lasts
 * @param honestClients honest sessions per run, started evenly over the first three quarters
 * @param honestBytes what each honest session downloads
 * @param attackers attacker connections per run, started evenly over the first half
 * @param bytesPerSecond the rate at which the relay forwards data to each connection
 * @param chunkBytes the size of one queued item (a batch of cells)
 * @param maxBytes the quota's maximum in the protected run
 * @param lowWaterBytes the quota's low-water mark in the protected run
 * @param capBytes the safety cap that stops the unprotected run
 * @param report where the HTML report goes
 * @param quiet whether to skip the progress lines and the table
 */
public record DemoOptions(
    Duration runTime,
    int honestClients,
    long honestBytes,
    int attackers,
    long bytesPerSecond,
    int chunkBytes,
    long maxBytes,
    long lowWaterBytes,
    long capBytes,
    Path report,
    boolean quiet) {

  static final long KIB = 1024;
  static final long MIB = 1024 * KIB;

  /** The system property that sets the default report path (the Maven build sets it). */
  static final String REPORT_PROPERTY = "memquota.demo.report";

  /** The flags, for {@code --help}. */
  static final String USAGE =
      String.join(
          "\n",
          "Relay under a sniper attack, run twice: without a quota, then with memquota.",
          "Flags (sizes take k/m suffixes):",
          "  --seconds=N        length of each run (default 15)",
          "  --honest=N         honest download sessions per run (default 200)",
          "  --honest-bytes=B   bytes per honest session (default 256k)",
          "  --attackers=N      attacker connections per run (default 40)",
          "  --rate=B           bytes per second forwarded to each connection (default 512k)",
          "  --chunk=B          bytes per queued item (default 4k)",
          "  --max=B            quota maximum (default 4m)",
          "  --low-water=B      quota low-water mark (default 3/4 of max)",
          "  --cap=B            safety cap of the unprotected run (default 64m)",
          "  --report=PATH      HTML report (default target/relay-demo-report.html)",
          "  --quiet            no progress lines",
          "Run with: mvn -q -pl memquota-examples -am compile exec:java -Dexec.args=\"--seconds=10\"");

  /**
   * Checks the settings.
   *
   * @throws IllegalArgumentException naming the first bad setting
   */
  public DemoOptions {
    require(!runTime.isNegative() && !runTime.isZero(), "seconds", runTime);
    require(honestClients >= 0, "honest", honestClients);
    require(honestBytes > 0, "honest-bytes", honestBytes);
    require(attackers >= 0, "attackers", attackers);
    require(bytesPerSecond > 0, "rate", bytesPerSecond);
    require(chunkBytes > 0, "chunk", chunkBytes);
    require(maxBytes > 0, "max", maxBytes);
    require(lowWaterBytes > 0 && lowWaterBytes < maxBytes, "low-water", lowWaterBytes);
    require(capBytes > 0, "cap", capBytes);
  }

  /**
   * The defaults: two runs of at most 15 s each, well within a minute on two cores.
   *
   * @return the default settings
   */
  public static DemoOptions defaults() {
    return new DemoOptions(
        Duration.ofSeconds(15),
        200,
        256 * KIB,
        40,
        512 * KIB,
        (int) (4 * KIB),
        4 * MIB,
        3 * MIB,
        64 * MIB,
        defaultReport(),
        false);
  }

  /**
   * Reads {@code --name=value} flags over the defaults.
   *
   * @param args the command line
   * @return the settings
   * @throws IllegalArgumentException for an unknown flag or a bad value
   */
  public static DemoOptions parse(String... args) {
    DemoOptions d = defaults();
    Duration runTime = d.runTime;
    int honest = d.honestClients;
    long honestBytes = d.honestBytes;
    int attackers = d.attackers;
    long rate = d.bytesPerSecond;
    int chunk = d.chunkBytes;
    long max = d.maxBytes;
    Long lowWater = null;
    long cap = d.capBytes;
    Path report = d.report;
    boolean quiet = d.quiet;
    for (String arg : args) {
      if (arg.isBlank()) {
        continue;
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg : arg.substring(0, eq);
      String value = eq < 0 ? "" : arg.substring(eq + 1);
      try {
        switch (name) {
          case "--seconds":
            runTime = Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
            break;
          case "--honest":
            honest = Integer.parseInt(value);
            break;
          case "--honest-bytes":
            honestBytes = bytes(value);
            break;
          case "--attackers":
            attackers = Integer.parseInt(value);
            break;
          case "--rate":
            rate = bytes(value);
            break;
          case "--chunk":
            chunk = Math.toIntExact(bytes(value));
            break;
          case "--max":
            max = bytes(value);
            break;
          case "--low-water":
            lowWater = bytes(value);
            break;
          case "--cap":
            cap = bytes(value);
            break;
          case "--report":
            report = Path.of(value);
            break;
          case "--quiet":
            quiet = true;
            break;
          default:
            throw new IllegalArgumentException("unknown flag " + arg + "\n" + USAGE);
        }
      } catch (NumberFormatException | ArithmeticException e) {
        throw new IllegalArgumentException("bad value for " + name + ": " + value, e);
      }
    }
    return new DemoOptions(runTime, honest, honestBytes, attackers, rate, chunk, max,
        lowWater != null ? lowWater : max / 4 * 3, cap, report, quiet);
  }

  /**
   * Returns these settings with another run time and client counts; the rest stays.
   *
   * @param runTime the length of each run
   * @param honestClients honest sessions per run
   * @param honestBytes bytes per honest session
   * @param attackers attacker connections per run
   * @return the new settings
   */
  public DemoOptions withTraffic(
      Duration runTime, int honestClients, long honestBytes, int attackers) {
    return new DemoOptions(runTime, honestClients, honestBytes, attackers, bytesPerSecond,
        chunkBytes, maxBytes, lowWaterBytes, capBytes, report, quiet);
  }

  private static Path defaultReport() {
    return Path.of(System.getProperty(REPORT_PROPERTY, "relay-demo-report.html"));
  }

  static long bytes(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (v.endsWith("k") || v.endsWith("kib")) {
      unit = KIB;
    } else if (v.endsWith("m") || v.endsWith("mib")) {
      unit = MIB;
    }
    String digits = v.replaceAll("[a-z]+$", "");
    return Math.multiplyExact(Long.parseLong(digits), unit);
  }

  private static void require(boolean ok, String flag, Object value) {
    if (!ok) {
      throw new IllegalArgumentException("bad value for --" + flag + ": " + value);
    }
  }
}
