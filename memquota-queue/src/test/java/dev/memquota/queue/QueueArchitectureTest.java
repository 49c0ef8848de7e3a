package dev.memquota.queue;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The queue is built on the API alone: any provider, or the no-op tracker, serves it. */
class QueueArchitectureTest {
  // Import the module's own output folder only: scanning the module path for a package is slow.
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPath(Path.of("target", "classes"));

  @Test
  void importedTheQueue() {
    org.junit.jupiter.api.Assertions.assertTrue(MAIN.contain(TrackedQueue.class));
  }

  @Test
  void doesNotDependOnTheEngine() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.memquota.impl..")
        .check(MAIN);
  }

  @Test
  void dependsOnlyOnTheJdkAndTheApi() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "dev.memquota", "dev.memquota.queue")
        .check(MAIN);
  }
}
