package dev.memquota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memquota.spi.MemoryQuotaProvider;
import dev.memquota.spi.TrackerSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderSelectionTest {

  private static MemoryQuotaProvider provider(String name, int priority) {
    return new MemoryQuotaProvider() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public int priority() {
        return priority;
      }

      @Override
      public MemoryQuotaTracker create(TrackerSettings settings) {
        throw new UnsupportedOperationException();
      }
    };
  }

  @Test
  void noProviderFailsLoudlyWithAdvice() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> ProviderSelection.choose(List.of(), null));
    assertTrue(e.getMessage().contains("memquota-impl"), e.getMessage());
    assertTrue(e.getMessage().contains("MemoryQuotaTracker.noop()"), e.getMessage());
  }

  @Test
  void withoutAProviderOnThePathCreateFails() {
    // The api module's own tests have no engine on the path.
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> MemoryQuotaTracker.create(QuotaConfig.builder().maxBytes(1 << 24).build()));
    assertEquals(ProviderSelection.NONE_FOUND, e.getMessage());
  }

  @Test
  void highestPriorityWinsAndTiesGoToTheFirst() {
    MemoryQuotaProvider a = provider("a", 1);
    MemoryQuotaProvider b = provider("b", 5);
    MemoryQuotaProvider c = provider("c", 5);
    assertSame(b, ProviderSelection.choose(List.of(a, b, c), null));
    assertSame(a, ProviderSelection.choose(List.of(a), null));
  }

  @Test
  void aNamedProviderIsChosenOrTheFailureListsWhatIsThere() {
    MemoryQuotaProvider a = provider("a", 1);
    MemoryQuotaProvider b = provider("b", 5);
    assertSame(a, ProviderSelection.choose(List.of(a, b), "a"));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> ProviderSelection.choose(List.of(a, b), "zz"));
    assertTrue(e.getMessage().contains("'zz'") && e.getMessage().contains("a (priority 1)"), e.getMessage());
  }

  @Test
  void builderCanBeGivenAProviderInstance() {
    TrackerSettings[] seen = new TrackerSettings[1];
    MemoryQuotaTracker made = MemoryQuotaTracker.noop();
    MemoryQuotaProvider p =
        new MemoryQuotaProvider() {
          @Override
          public String name() {
            return "explicit";
          }

          @Override
          public MemoryQuotaTracker create(TrackerSettings settings) {
            seen[0] = settings;
            return made;
          }
        };
    QuotaConfig config = QuotaConfig.builder().maxBytes(1 << 24).build();
    assertSame(made, MemoryQuotaTracker.builder().config(config).provider(p).build());
    assertEquals(config, seen[0].config());
    assertTrue(seen[0].executor().isEmpty());
    assertEquals(
        java.time.Duration.ofSeconds(MemoryQuotaTracker.Builder.DEFAULT_RECLAIM_TIMEOUT_SECONDS),
        seen[0].reclaimTimeout());
    assertThrows(IllegalStateException.class, () -> MemoryQuotaTracker.builder().provider(p).provider("x"));
  }

  @Test
  void unlimitedConfigNeedsNoProvider() {
    assertSame(MemoryQuotaTracker.noop(), MemoryQuotaTracker.create(QuotaConfig.unlimited()));
  }
}
