package dev.memquota.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.memquota.MemoryQuotaTracker;
import dev.memquota.QuotaConfig;
import dev.memquota.spi.MemoryQuotaProvider;
import org.junit.jupiter.api.Test;

/**
 * Discovery on the plain class path, through the {@code META-INF/services} file that
 * {@code @AutoService} generates. Run by its own surefire execution with {@code
 * useModulePath=false}.
 */
class ClasspathDiscoveryIT {

  @Test
  void createFindsTheEngineThroughTheServicesFile() {
    assertFalse(MemoryQuotaTracker.class.getModule().isNamed(), "must run on the class path");
    assertNotNull(
        getClass().getClassLoader().getResource("META-INF/services/" + MemoryQuotaProvider.class.getName()));
    QuotaConfig config = QuotaConfig.builder().maxBytes(1 << 24).build();
    try (MemoryQuotaTracker t = MemoryQuotaTracker.create(config)) {
      assertEquals(Tracker.class, t.getClass());
      assertFalse(t.getClass().getModule().isNamed());
      assertEquals(config, t.config());
    }
  }
}
