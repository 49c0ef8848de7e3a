package dev.memquota.examples.relay;

import dev.memquota.examples.relay.RunResult.Kind;
import dev.memquota.examples.relay.RunResult.ReclaimEvent;
import dev.memquota.examples.relay.RunResult.Sample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo's outputs: the closing table for the terminal and a self-contained HTML report (inline
 * SVG and CSS, no scripts, no external fonts or files) charting tracked memory over time.
 */
final class Report {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 300;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 20;
  private static final int BOTTOM = 40;

  private Report() {}

  static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  /** Bytes in KiB below one MiB, in MiB above. */
  static String size(long bytes) {
    return bytes < 1024 * 1024 ? bytes / 1024 + " KiB" : mib(bytes);
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.0f%%", share * 100);
  }

  /** Median and maximum of a list of milliseconds, or "-" when empty. */
  static String medianAndMax(List<Long> millis) {
    if (millis.isEmpty()) {
      return "-";
    }
    List<Long> sorted = new ArrayList<>(millis);
    sorted.sort(null);
    return "median " + sorted.get(sorted.size() / 2) + " ms, max " + sorted.get(sorted.size() - 1) + " ms";
  }

  /** The rows of the closing table: a label, the unprotected value, the protected value. */
  static List<String[]> rows(RunResult without, RunResult with) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"", without.label(), with.label()});
    rows.add(new String[] {"peak tracked bytes", mib(without.peakTrackedBytes()) + " (sum of queues)",
        mib(with.peakTrackedBytes())});
    rows.add(new String[] {"  quota max / low water", "none",
        mib(with.maxBytes()) + " / " + mib(with.lowWaterBytes())});
    rows.add(new String[] {"  allowed peak (max + caches + 1 item)", "-",
        mib(with.peakBound()) + " (" + with.participantsAtPeak() + " participations)"});
    rows.add(new String[] {"  peak / protected peak", String.format(Locale.ROOT, "%.1fx",
        (double) without.peakTrackedBytes() / Math.max(1, with.peakTrackedBytes())), "1.0x"});
    rows.add(new String[] {"attacker connections reclaimed",
        without.attackersReclaimed() + "/" + without.attackersStarted(),
        with.attackersReclaimed() + "/" + with.attackersStarted() + " ("
            + percent(with.attackersReclaimedShare()) + ")"});
    rows.add(new String[] {"  time from connect to reclaim", medianAndMax(without.reclaimMillis()),
        medianAndMax(with.reclaimMillis())});
    rows.add(new String[] {"  time over max until back under", "-", medianAndMax(with.overMaxMillis())});
    rows.add(new String[] {"honest clients completed",
        without.honestCompleted() + "/" + without.honestStarted() + " ("
            + percent(without.honestCompletedShare()) + ")",
        with.honestCompleted() + "/" + with.honestStarted() + " ("
            + percent(with.honestCompletedShare()) + ")"});
    rows.add(new String[] {"  honest clients reclaimed", String.valueOf(without.honestReclaimed()),
        with.honestReclaimed() + " (" + with.honestReclaimedBeforeOlderAttacker()
            + " while an older attacker remained)"});
    rows.add(new String[] {"honest bytes delivered", mib(without.honestBytes()), mib(with.honestBytes())});
    rows.add(new String[] {"run ended", stopped(without), stopped(with)});
    return rows;
  }

  private static String stopped(RunResult r) {
    return String.format(Locale.ROOT, "%s at %.1f s", r.stopReason(), r.stoppedAtSeconds());
  }

  /** The closing table as aligned text. */
  static String table(RunResult without, RunResult with) {
    List<String[]> rows = rows(without, with);
    int[] widths = new int[3];
    for (String[] row : rows) {
      for (int i = 0; i < 3; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] row : rows) {
      sb.append(String.format("%-" + widths[0] + "s   %-" + widths[1] + "s   %s%n", row[0], row[1], row[2]));
    }
    return sb.toString();
  }

  /** Writes the HTML report; creates the parent folder if needed. */
  static void writeHtml(Path path, DemoOptions o, RunResult without, RunResult with) throws IOException {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>memquota: relay under a sniper attack</title>\n<style>")
        .append("body{font-family:sans-serif;margin:2em;color:#222;max-width:960px}")
        .append("table{border-collapse:collapse;margin:1em 0}td,th{padding:4px 10px;")
        .append("border-bottom:1px solid #ddd;text-align:left}th{background:#f4f4f4}")
        .append("svg{background:#fff;border:1px solid #ccc}.note{color:#555;font-size:90%}")
        .append("tr.sub td:first-child{padding-left:28px;color:#555}")
        .append("</style></head><body>\n")
        .append("<h1>Relay under a sniper attack</h1>\n<p>")
        .append(o.attackers()).append(" attackers ask for endless data and never read; ")
        .append(o.honestClients()).append(" honest sessions each download ")
        .append(size(o.honestBytes())).append(". The relay forwards ")
        .append(o.bytesPerSecond() / 1024).append(" KiB/s to each connection through a tracked queue, ")
        .append("one account per connection. The same traffic runs twice: without a quota (stopped at a ")
        .append("safety cap of ").append(mib(o.capBytes())).append(") and with memquota (max ")
        .append(mib(o.maxBytes())).append(", low water ").append(mib(o.lowWaterBytes())).append(").</p>\n");
    h.append("<table>\n");
    boolean header = true;
    for (String[] row : rows(without, with)) {
      String cell = header ? "th" : "td";
      h.append(row[0].startsWith("  ") ? "<tr class=\"sub\">" : "<tr>");
      for (String c : row) {
        h.append('<').append(cell).append('>').append(escape(c.strip())).append("</").append(cell).append('>');
      }
      h.append("</tr>\n");
      header = false;
    }
    h.append("</table>\n");
    h.append("<h2>Without quota</h2>\n");
    chart(h, without, Math.max(without.peakTrackedBytes(), without.capBytes()), o);
    h.append("<h2>With memquota</h2>\n");
    chart(h, with, Math.max(with.peakTrackedBytes(), with.maxBytes()), o);
    h.append("<p class=\"note\">Blue: tracked bytes (the tracker's total with memquota; the sum of the ")
        .append("queues without a quota), sampled every 100 ms. Red dashed: max. Orange dashed: low ")
        .append("water. Grey dashed: safety cap. Marks along the top: reclaimed connections ")
        .append("(purple: attacker, red: honest).</p>\n</body></html>\n");
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(path, h, StandardCharsets.UTF_8);
  }

  private static void chart(StringBuilder h, RunResult r, long top, DemoOptions o) {
    double yMax = niceCeiling(top * 1.1);
    double xMax = o.runTime().toMillis() / 1000.0;
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    h.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
            + " font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
    // axes and grid
    for (int i = 0; i <= 5; i++) {
      double v = yMax * i / 5;
      double y = TOP + plotH - plotH * i / 5.0;
      h.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
              + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
          LEFT, y, LEFT + plotW, y, LEFT - 6, y + 4, mib((long) v)));
    }
    int step = xMax > 30 ? 10 : xMax > 10 ? 2 : 1;
    for (int s = 0; s <= xMax; s += step) {
      double x = LEFT + plotW * s / xMax;
      h.append(String.format(Locale.ROOT,
          "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>"
              + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d s</text>%n",
          x, TOP, x, TOP + plotH, x, TOP + plotH + 16, s));
    }
    h.append(String.format(Locale.ROOT,
        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
        LEFT, TOP, plotW, plotH));
    // reference lines
    level(h, r.maxBytes(), yMax, "#d62728", "max " + mib(r.maxBytes()), -4);
    level(h, r.lowWaterBytes(), yMax, "#ff7f0e", "low water " + mib(r.lowWaterBytes()), 12);
    if (!r.protectedRun()) {
      level(h, r.capBytes(), yMax, "#888", "safety cap " + mib(r.capBytes()), -4);
    }
    // the series
    StringBuilder points = new StringBuilder();
    for (Sample s : r.samples()) {
      points.append(String.format(Locale.ROOT, "%.1f,%.1f ",
          LEFT + plotW * Math.min(s.seconds(), xMax) / xMax,
          TOP + plotH - plotH * s.trackedBytes() / yMax));
    }
    h.append("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"")
        .append(points.toString().trim()).append("\"/>\n");
    // reclaim events
    for (ReclaimEvent e : r.reclaims()) {
      double x = LEFT + plotW * Math.min(e.seconds(), xMax) / xMax;
      String color = e.kind() == Kind.ATTACKER ? "#9467bd" : "#d62728";
      h.append(String.format(Locale.ROOT,
          "<path d=\"M%.1f %d l-4 -8 h8 z\" fill=\"%s\"><title>%s client %d reclaimed at %.2f s"
              + "</title></path>%n",
          x, TOP + 10, color, e.kind().name().toLowerCase(Locale.ROOT), e.clientId(), e.seconds()));
    }
    h.append(String.format(Locale.ROOT,
        "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">time since the run started</text>%n",
        LEFT + plotW / 2, HEIGHT - 6));
    h.append("</svg>\n");
  }

  /** The top of a 5-step axis whose step is 1, 2, 2.5 or 5 times a power of ten MiB. */
  private static double niceCeiling(double bytes) {
    double mib = 1024.0 * 1024.0;
    for (double power = 0.01; ; power *= 10) {
      for (double factor : new double[] {1, 2, 2.5, 5}) {
        if (5 * factor * power * mib >= bytes) {
          return 5 * factor * power * mib;
        }
      }
    }
  }

  private static void level(
      StringBuilder h, long bytes, double yMax, String color, String label, int labelOffset) {
    if (bytes > yMax) {
      return;
    }
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    double y = TOP + plotH - plotH * bytes / yMax;
    h.append(String.format(Locale.ROOT,
        "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"6 4\"/>"
            + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"%s\">%s</text>%n",
        LEFT, y, LEFT + plotW, y, color, LEFT + plotW - 4, y + labelOffset, color, escape(label)));
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
