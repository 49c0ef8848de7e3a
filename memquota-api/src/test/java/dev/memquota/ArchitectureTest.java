package dev.memquota;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.net.URI;
import java.nio.file.Path;
import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The API depends on nothing but the JDK, and its module exports exactly the two packages. */
class ArchitectureTest {
  private static final JavaClasses API =
      new ClassFileImporter()
          // Only this module's main classes: scanning the whole module path takes seconds.
          .importPath(Path.of(URI.create(
              MemoryQuotaTracker.class.getProtectionDomain().getCodeSource().getLocation().toString())));

  @Test
  void apiDependsOnlyOnTheJdk() {
    classes()
        .that()
        .resideInAPackage("dev.memquota..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("dev.memquota", "dev.memquota.spi", "java..")
        .check(API);
  }

  @Test
  void moduleDescriptorIsTheReviewedOne() {
    ModuleDescriptor d = MemoryQuotaTracker.class.getModule().getDescriptor();
    assertEquals("dev.memquota.api", d.name());
    assertEquals(
        Set.of("dev.memquota", "dev.memquota.spi"),
        d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
    assertEquals(
        Set.of("java.base"),
        d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
    assertEquals(Set.of("dev.memquota.spi.MemoryQuotaProvider"), d.uses());
  }
}
