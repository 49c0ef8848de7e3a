package dev.memquota.examples.relay;

import java.io.IOException;
import java.io.PrintStream;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The relay-under-attack demo: a relay on 127.0.0.1 forwards data to honest clients and to
 * attackers that never read, first without a quota and then with memquota, and shows what the
 * quota changes.
 *
 * <p>Run from the repository root (it builds what it needs):
 *
 * <pre>mvn -q -pl memquota-examples -am compile exec:java</pre>
 *
 * <p>Add {@code -Dexec.args="--seconds=10 --attackers=60"} to change the settings ({@code --help}
 * lists them). It prints a progress line a second, a closing table, and the path of an HTML report
 * charting tracked memory over time for both runs. How the relay works is described on {@link
 * RelayRun}.
 */
public final class RelayUnderAttackDemo {
  // Held so that the setting is not garbage-collected: the engine logs every reclamation cycle at
  // INFO, which would drown the demo's own progress lines.
  private static final Logger ENGINE_LOG = Logger.getLogger("dev.memquota.impl");

  private RelayUnderAttackDemo() {}

  /**
   * Both runs of the demo.
   *
   * @param without the run without a quota
   * @param with the run with memquota
   */
  public record Outcome(RunResult without, RunResult with) {}

  /**
   * Runs the demo with {@code --name=value} flags.
   *
   * @param args the flags
   * @throws Exception if the relay cannot run
   */
  public static void main(String[] args) throws Exception {
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h")) {
        System.out.println(DemoOptions.USAGE);
        return;
      }
    }
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    run(options, System.out);
  }

  /**
   * Runs both runs, prints progress and the table to {@code out} (unless quiet), and writes the
   * report.
   *
   * @param o the settings
   * @param out where the text goes
   * @return both runs' measurements
   * @throws IOException if the relay or the report cannot be written
   * @throws InterruptedException if interrupted
   */
  public static Outcome run(DemoOptions o, PrintStream out) throws IOException, InterruptedException {
    ENGINE_LOG.setLevel(Level.WARNING);
    PrintStream sink = o.quiet() ? new PrintStream(PrintStream.nullOutputStream()) : out;
    sink.printf(
        "Relay under attack: %d attackers, %d honest sessions of %s, %s/s per connection, %.0f s"
            + " per run%n",
        o.attackers(), o.honestClients(), Report.size(o.honestBytes()), Report.size(o.bytesPerSecond()),
        o.runTime().toMillis() / 1000.0);
    RunResult without = RelayRun.run(o, false, sink::println);
    RunResult with = RelayRun.run(o, true, sink::println);
    sink.println();
    sink.print(Report.table(without, with));
    Report.writeHtml(o.report(), o, without, with);
    sink.println();
    sink.println("HTML report: " + o.report().toAbsolutePath().normalize());
    return new Outcome(without, with);
  }
}
