package dev.memquota.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExamplesTest {

  @Test
  void reclaimingAConnectionTakesItsCircuitsAndStreams() throws Exception {
    assertEquals(
        List.of("B", "B/circuit", "B/circuit/stream"), RelayHierarchy.reclaimAConnection());
  }

  @Test
  void reclaimingAStreamTakesOnlyThatStream() throws Exception {
    assertEquals(
        List.of("A", "A/circuit", "A/circuit/stream", "B", "B/circuit"),
        RelayHierarchy.reclaimAStream());
  }

  /** Runs a main method and returns what it printed. */
  private static String printedBy(Main main) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      main.run(new String[0]);
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** A main method. */
  interface Main {
    void run(String[] args) throws Exception;
  }

  @Test
  void queueQuickStartDiscardsTheSlowPeerAndKeepsTheFastOne() throws Exception {
    String printed = printedBy(QueueQuickStart::main);
    assertTrue(printed.contains("slow peer's queue collapsed"), printed);
    assertTrue(printed.contains("discarded due to memory pressure"), printed);
    assertTrue(printed.contains("fast peer still open: true"), printed);
  }

  @Test
  void readmeQuickStartReclaimsTheSlowPeerOnly() throws Exception {
    String printed = printedBy(QuickStart::main);
    assertTrue(printed.contains("slow peer reclaimed: true; it can still add: false"), printed);
    assertTrue(printed.contains("fast peer reclaimed: false; it can still add: true"), printed);
  }

  @Test
  void readmeShowsTheQuickStartCode() throws Exception {
    String readme = normalize(Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8));
    String[][] regions = {
      {"participant", "main", "PacketBuffer"},
      {"usage", "main", "QuickStart"},
      {"testing", "test", "PacketBufferTest"}
    };
    for (String[] region : regions) {
      String source =
          Files.readString(
              Path.of("src/" + region[1] + "/java/dev/memquota/examples/" + region[2] + ".java"),
              StandardCharsets.UTF_8);
      String begin = "// README:" + region[0] + ":begin";
      String end = "// README:" + region[0] + ":end";
      String code = source.substring(source.indexOf(begin) + begin.length(), source.indexOf(end));
      assertTrue(
          readme.contains(normalize(code)),
          "README.md no longer shows the '" + region[0] + "' code of " + region[2]);
    }
  }

  /** Compares code regardless of indentation and blank lines. */
  private static String normalize(String text) {
    return text.lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .reduce("", (a, b) -> a + b + "\n");
  }
}
