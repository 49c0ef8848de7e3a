package dev.memquota.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleDescriptor.Requires;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The queue's published surface: widening it is a reviewed decision. */
class ModuleDescriptorTest {
  private final Module module = TrackedQueue.class.getModule();

  @Test
  void isANamedModule() {
    assertTrue(module.isNamed(), "tests must run on the module path");
    assertEquals("dev.memquota.queue", module.getName());
  }

  @Test
  void exportsOnlyItsOnePackageToEveryone() {
    ModuleDescriptor d = module.getDescriptor();
    assertEquals(
        Set.of("dev.memquota.queue"),
        d.exports().stream().map(Exports::source).collect(Collectors.toSet()));
    assertTrue(d.exports().stream().noneMatch(Exports::isQualified));
    assertTrue(d.opens().isEmpty());
  }

  @Test
  void requiresOnlyTheApiTransitively() {
    ModuleDescriptor d = module.getDescriptor();
    Set<String> requires =
        d.requires().stream()
            .filter(r -> !r.modifiers().contains(Requires.Modifier.MANDATED))
            .map(Requires::name)
            .collect(Collectors.toSet());
    assertEquals(Set.of("dev.memquota.api"), requires);
    Requires api =
        d.requires().stream().filter(r -> r.name().equals("dev.memquota.api")).findFirst().get();
    assertEquals(Set.of(Requires.Modifier.TRANSITIVE), api.modifiers());
  }

  @Test
  void providesAndUsesNothing() {
    ModuleDescriptor d = module.getDescriptor();
    assertTrue(d.provides().isEmpty());
    assertTrue(d.uses().isEmpty());
  }
}
