package dev.memquota.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memquota.MemoryQuotaTracker;
import dev.memquota.QuotaConfig;
import dev.memquota.spi.MemoryQuotaProvider;
import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Discovery on the module path (surefire's default here); see ClasspathDiscoveryIT for the other. */
class DiscoveryTest {
  private static final QuotaConfig CONFIG = QuotaConfig.builder().maxBytes(1 << 24).build();

  @Test
  void runsOnTheModulePath() {
    assertTrue(MemoryQuotaTracker.class.getModule().isNamed());
    assertTrue(Tracker.class.getModule().isNamed());
  }

  @Test
  void createFindsTheEngineThroughProvides() {
    try (MemoryQuotaTracker t = MemoryQuotaTracker.create(CONFIG)) {
      assertInstanceOf(Tracker.class, t);
      assertEquals("dev.memquota.impl", t.getClass().getModule().getName());
      assertEquals(CONFIG, t.config());
    }
  }

  @Test
  void builderSelectsByName() {
    try (MemoryQuotaTracker t = MemoryQuotaTracker.builder().config(CONFIG).provider("default").build()) {
      assertInstanceOf(Tracker.class, t);
    }
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> MemoryQuotaTracker.builder().config(CONFIG).provider("fancy").build());
    assertTrue(e.getMessage().contains("'fancy'") && e.getMessage().contains("default (priority 0)"), e.getMessage());
  }

  @Test
  void systemPropertySelectsByName() {
    String old = System.getProperty(MemoryQuotaTracker.PROVIDER_PROPERTY);
    try {
      System.setProperty(MemoryQuotaTracker.PROVIDER_PROPERTY, "missing");
      assertThrows(IllegalStateException.class, () -> MemoryQuotaTracker.create(CONFIG));
      System.setProperty(MemoryQuotaTracker.PROVIDER_PROPERTY, "default");
      MemoryQuotaTracker.create(CONFIG).close();
    } finally {
      if (old == null) {
        System.clearProperty(MemoryQuotaTracker.PROVIDER_PROPERTY);
      } else {
        System.setProperty(MemoryQuotaTracker.PROVIDER_PROPERTY, old);
      }
    }
  }

  @Test
  void moduleExportsNothingAndProvidesTheEngine() {
    ModuleDescriptor d = Tracker.class.getModule().getDescriptor();
    assertEquals("dev.memquota.impl", d.name());
    assertTrue(d.exports().isEmpty(), "exports: " + d.exports());
    assertEquals(1, d.provides().size());
    ModuleDescriptor.Provides p = d.provides().iterator().next();
    assertEquals(MemoryQuotaProvider.class.getName(), p.service());
    assertEquals(java.util.List.of(DefaultMemoryQuotaProvider.class.getName()), p.providers());
    assertEquals(
        Set.of("java.base", "dev.memquota.api", "com.google.auto.service"),
        d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
    assertTrue(
        d.requires().stream()
            .filter(r -> r.name().equals("com.google.auto.service"))
            .allMatch(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)),
        "auto-service is compile-time only");
  }
}
