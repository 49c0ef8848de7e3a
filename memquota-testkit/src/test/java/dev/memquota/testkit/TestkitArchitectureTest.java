package dev.memquota.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The testkit's main code uses the API only, never an engine. */
class TestkitArchitectureTest {

  private static JavaClasses mainClasses;

  /** Imports the main classes from where they were compiled (scanning the path is slow). */
  @BeforeAll
  static void importMainClasses() throws URISyntaxException {
    Path mainOutput =
        Paths.get(ManualClock.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    mainClasses =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(mainOutput);
  }

  @Test
  void mainCodeDoesNotDependOnTheEngine() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.memquota.impl..")
        .because("the testkit must work with any provider, through the API only")
        .check(mainClasses);
  }

  @Test
  void mainCodeUsesOnlyTheApiJunitAndTheJdk() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "dev.memquota",
            "dev.memquota.spi",
            "dev.memquota.testkit",
            "java..",
            "org.junit.jupiter.api..",
            "org.opentest4j..")
        .check(mainClasses);
  }

  @Test
  void mainClassesWereImported() {
    org.junit.jupiter.api.Assertions.assertTrue(
        mainClasses.contain(MemoryQuotaTrackerContract.class),
        "ArchUnit found the testkit's main classes");
  }
}
