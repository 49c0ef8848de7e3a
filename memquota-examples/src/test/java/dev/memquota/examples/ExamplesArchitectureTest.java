package dev.memquota.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The examples are written against the API and the queue; the engine is a run-time detail. */
class ExamplesArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPath(Path.of("target", "classes"));

  @Test
  void importedTheExamples() {
    assertTrue(MAIN.contain(QuickStart.class));
  }

  @Test
  void useNothingOfTheEngine() {
    noClasses().should().dependOnClassesThat().resideInAPackage("dev.memquota.impl..").check(MAIN);
  }

  @Test
  void useNoInternalsOfTheApiOrQueue() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.memquota.spi..", "dev.memquota.testkit..")
        .check(MAIN);
  }

  @Test
  void dependOnTheEngineAtRunTimeOnly() throws Exception {
    Element project =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(Path.of("pom.xml").toFile())
            .getDocumentElement();
    NodeList dependencies = project.getElementsByTagName("dependency");
    List<String> engineScopes = new ArrayList<>();
    for (int i = 0; i < dependencies.getLength(); i++) {
      Element d = (Element) dependencies.item(i);
      if (text(d, "artifactId").equals("memquota-impl")) {
        engineScopes.add(text(d, "scope"));
      }
    }
    assertEquals(List.of("runtime"), engineScopes);
  }

  private static String text(Element parent, String tag) {
    NodeList nodes = parent.getElementsByTagName(tag);
    return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
  }
}
