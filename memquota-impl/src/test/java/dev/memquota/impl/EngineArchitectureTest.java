package dev.memquota.impl;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The engine needs nothing at run time but the JDK and the API, and shows no public type but its provider. */
class EngineArchitectureTest {
  private static final JavaClasses ENGINE =
      new ClassFileImporter()
          // Only this module's main classes: scanning the whole module path takes seconds.
          .importPath(Path.of(URI.create(
              Tracker.class.getProtectionDomain().getCodeSource().getLocation().toString())));

  @Test
  void dependsOnlyOnTheApiAndTheJdk() {
    classes()
        .that()
        .resideInAPackage("dev.memquota.impl..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "dev.memquota", "dev.memquota.spi", "dev.memquota.impl..", "java..",
            // the @AutoService annotation has CLASS retention and is not needed at run time
            "com.google.auto.service")
        .check(ENGINE);
  }

  @Test
  void onlyTheProviderIsPublic() {
    classes()
        .that()
        .resideInAPackage("dev.memquota.impl..")
        .and()
        .doNotHaveSimpleName("DefaultMemoryQuotaProvider")
        .should()
        .notHaveModifier(JavaModifier.PUBLIC)
        .check(ENGINE);
  }
}
