package dev.memquota.bench;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Keeps the engine's INFO lines (one per reclamation cycle) out of the benchmark output. */
final class Logs {
  // Held strongly: java.util.logging forgets the level of a logger nobody references.
  private static final Logger ENGINE = Logger.getLogger("dev.memquota.impl");

  private Logs() {}

  static void quiet() {
    ENGINE.setLevel(Level.WARNING);
  }
}
