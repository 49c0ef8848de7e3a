package dev.memquota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QuotaConfigTest {
  private static final long MIB = 1 << 20;
  private static final long GIB = 1L << 30;

  @Test
  void lowWaterDefaultsToThreeQuartersOfMax() {
    QuotaConfig c = QuotaConfig.builder().maxBytes(20 * MIB).build();
    assertEquals(20 * MIB, c.maxBytes());
    assertEquals(15 * MIB, c.lowWaterBytes());
    assertFalse(c.isAutomatic());
    assertFalse(c.isUnlimited());
  }

  @Test
  void explicitLowWaterIsKept() {
    QuotaConfig c = QuotaConfig.builder().maxBytes(20 * MIB).lowWaterBytes(10 * MIB).build();
    assertEquals(10 * MIB, c.lowWaterBytes());
  }

  @Test
  void badValuesAreRejectedNamingFieldAndValue() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> QuotaConfig.builder().maxBytes(-5));
    assertTrue(e.getMessage().contains("maxBytes") && e.getMessage().contains("-5"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> QuotaConfig.builder().lowWaterBytes(1000));
    assertTrue(e.getMessage().contains("lowWaterBytes") && e.getMessage().contains("1000"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> QuotaConfig.builder().maxBytes(10 * MIB).lowWaterBytes(10 * MIB).build());
    assertTrue(e.getMessage().contains("98%") && e.getMessage().contains(String.valueOf(10 * MIB)));
    // A max so small that its default low water is below ten caches.
    e = assertThrows(IllegalArgumentException.class, () -> QuotaConfig.builder().maxBytes(100_000).build());
    assertTrue(e.getMessage().contains("lowWaterBytes") && e.getMessage().contains("75000"), e.getMessage());
  }

  @Test
  void ratioLimitIsInclusiveAtNinetyEightPercent() {
    QuotaConfig c = QuotaConfig.builder().maxBytes(100 * MIB).lowWaterBytes(98 * MIB).build();
    assertEquals(98 * MIB, c.lowWaterBytes());
    assertThrows(
        IllegalArgumentException.class,
        () -> QuotaConfig.builder().maxBytes(100 * MIB).lowWaterBytes(98 * MIB + 1).build());
  }

  @Test
  void settingTwiceOrLowWaterWithoutMaxIsAnError() {
    assertThrows(
        IllegalStateException.class, () -> QuotaConfig.builder().maxBytes(MIB).maxBytes(2 * MIB));
    assertThrows(
        IllegalStateException.class,
        () -> QuotaConfig.builder().lowWaterBytes(MIB).lowWaterBytes(MIB));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> QuotaConfig.builder().lowWaterBytes(MIB).build());
    assertTrue(e.getMessage().contains("inconsistent"), e.getMessage());
    e = assertThrows(IllegalStateException.class, () -> QuotaConfig.builder().build());
    assertTrue(e.getMessage().contains("QuotaConfig.auto()"), e.getMessage());
  }

  @Test
  void autoFollowsTheReferenceSizingRule() {
    assertEquals(256 * MIB, QuotaConfig.autoForHeap(300 * MIB).maxBytes(), "75% clamped up to 256 MiB");
    assertEquals(128 * MIB, QuotaConfig.autoForHeap(128 * MIB).maxBytes(), "never more than the heap");
    assertEquals(3 * GIB, QuotaConfig.autoForHeap(4 * GIB).maxBytes(), "75% below 8 GiB");
    assertEquals((long) (10 * GIB * 0.40), QuotaConfig.autoForHeap(10 * GIB).maxBytes(), "40% from 8 GiB");
    assertEquals(8 * GIB, QuotaConfig.autoForHeap(64 * GIB).maxBytes(), "clamped to 8 GiB");
    QuotaConfig c = QuotaConfig.autoForHeap(4 * GIB);
    assertTrue(c.isAutomatic());
    assertEquals(c.maxBytes() / 4 * 3, c.lowWaterBytes());
    assertTrue(QuotaConfig.auto().maxBytes() <= Runtime.getRuntime().maxMemory());
  }

  @Test
  void unlimitedIsItsOwnThing() {
    QuotaConfig u = QuotaConfig.unlimited();
    assertTrue(u.isUnlimited());
    assertEquals(Long.MAX_VALUE, u.maxBytes());
    assertEquals("QuotaConfig[unlimited]", u.toString());
  }

  @Test
  void valueSemantics() {
    QuotaConfig a = QuotaConfig.builder().maxBytes(20 * MIB).build();
    QuotaConfig b = QuotaConfig.builder().maxBytes(20 * MIB).lowWaterBytes(15 * MIB).build();
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertEquals("QuotaConfig[maxBytes=20971520, lowWaterBytes=15728640]", a.toString());
  }
}
