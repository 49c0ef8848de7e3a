package dev.memquota;

import dev.memquota.spi.MemoryQuotaProvider;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds the {@link MemoryQuotaProvider} to use. Each broken service entry is logged on its own and
 * skipped, so that one bad jar does not hide a good provider.
 */
final class ProviderSelection {
  private static final System.Logger LOG = System.getLogger("dev.memquota");

  /** Gives up on a service iterator that keeps failing, rather than looping forever. */
  private static final int MAX_BROKEN_ENTRIES = 100;

  static final String NONE_FOUND =
      "No memquota provider was found on the class path or module path: add the dependency"
          + " dev.memquota:memquota-impl, or use MemoryQuotaTracker.noop() to run without a"
          + " memory quota on purpose.";

  private ProviderSelection() {}

  static MemoryQuotaProvider load(String requestedName) {
    return choose(discover(), requestedName);
  }

  private static List<MemoryQuotaProvider> discover() {
    List<MemoryQuotaProvider> found = new ArrayList<>();
    Iterator<MemoryQuotaProvider> it = ServiceLoader.load(MemoryQuotaProvider.class).iterator();
    int broken = 0;
    while (broken < MAX_BROKEN_ENTRIES) {
      try {
        if (!it.hasNext()) {
          break;
        }
        found.add(it.next());
      } catch (ServiceConfigurationError e) {
        broken++;
        LOG.log(Level.WARNING, "memquota: skipping a provider that failed to load: " + e, e);
      }
    }
    return found;
  }

  /**
   * Picks the provider named {@code requestedName} if given, else the one with the highest
   * priority (the first found among equals). Logs the choice when there was one to make.
   */
  static MemoryQuotaProvider choose(List<MemoryQuotaProvider> found, String requestedName) {
    if (found.isEmpty()) {
      throw new IllegalStateException(
          requestedName == null
              ? NONE_FOUND
              : NONE_FOUND + " (provider '" + requestedName + "' was requested)");
    }
    if (requestedName != null) {
      for (MemoryQuotaProvider p : found) {
        if (requestedName.equals(p.name())) {
          return p;
        }
      }
      throw new IllegalStateException(
          "memquota provider '"
              + requestedName
              + "' (requested through the builder or -D"
              + MemoryQuotaTracker.PROVIDER_PROPERTY
              + ") was not found; available: "
              + names(found));
    }
    MemoryQuotaProvider best = found.get(0);
    for (MemoryQuotaProvider p : found) {
      if (p.priority() > best.priority()) {
        best = p;
      }
    }
    if (found.size() > 1) {
      LOG.log(
          Level.INFO,
          "memquota: several providers found ("
              + names(found)
              + "); using '"
              + best.name()
              + "' (highest priority). Set -D"
              + MemoryQuotaTracker.PROVIDER_PROPERTY
              + "=NAME to choose another.");
    }
    return best;
  }

  private static String names(List<MemoryQuotaProvider> found) {
    return found.stream()
        .map(p -> p.name() + " (priority " + p.priority() + ")")
        .collect(Collectors.joining(", "));
  }
}
