package dev.memquota.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The testkit's module descriptor: a widened surface must be a reviewed decision. */
class TestkitModuleTest {

  private final ModuleDescriptor descriptor = ManualClock.class.getModule().getDescriptor();

  @Test
  void exportsOnlyTheTestkitPackage() {
    assertEquals(
        Set.of("dev.memquota.testkit"),
        descriptor.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
  }

  @Test
  void requiresTheApiAndJunitTransitively() {
    Set<String> transitive =
        descriptor.requires().stream()
            .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
            .map(ModuleDescriptor.Requires::name)
            .collect(Collectors.toSet());
    assertEquals(Set.of("dev.memquota.api", "org.junit.jupiter.api"), transitive);
  }

  @Test
  void providesNothing() {
    assertEquals(Set.of(), descriptor.provides());
  }
}
