package dev.memquota.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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

  @Test
  void quickStartDiscardsTheSlowPeerAndKeepsTheFastOne() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      QuickStart.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("slow peer's queue collapsed"), printed);
    assertTrue(printed.contains("discarded due to memory pressure"), printed);
    assertTrue(printed.contains("fast peer still open: true"), printed);
  }
}
