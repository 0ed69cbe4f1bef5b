package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apitmoodle.demo.DemoApplication;
import org.apitmoodle.emulator.MoodleEmulator;
import org.apitmoodle.support.ProductionCode;
import org.junit.jupiter.api.Test;

/**
 * The Moodle emulator (with its fault switches) and the demo are test fixtures: no production class is one, and
 * none refers to one. The packaged jar is checked the same way by ProductionJarIT (mvn verify).
 */
class ProductionCodeTest {

    @Test
    void theProductionClassesHoldNoEmulatorOrDemoClassAndNameNone() throws Exception {
        Path classes = ProductionCode.location();

        assertThat(classes).isDirectory();
        assertThat(classes.resolve("org/apitmoodle/Application.class")).exists();
        assertThat(ProductionCode.testOnlyCodeIn(classes)).isEmpty();
    }

    @Test
    void theEmulatorAndTheDemoAreCompiledWithTheTests() throws Exception {
        Path testClasses = Path.of(MoodleEmulator.class.getProtectionDomain().getCodeSource().getLocation().toURI());

        assertThat(testClasses).isNotEqualTo(ProductionCode.location());
        assertThat(Path.of(DemoApplication.class.getProtectionDomain().getCodeSource().getLocation().toURI()))
                .isEqualTo(testClasses);
        // The check finds what it looks for: the test classes hold both, and the demo's data.
        assertThat(ProductionCode.testOnlyCodeIn(testClasses))
                .anyMatch(found -> found.startsWith("org/apitmoodle/emulator/MoodleEmulator.class"))
                .anyMatch(found -> found.startsWith("org/apitmoodle/demo/DemoApplication.class"))
                .anyMatch(found -> found.startsWith("demo/demo-data.sql"))
                .anyMatch(found -> found.startsWith("org/apitmoodle/DemoTest.class: names org/apitmoodle/demo"));
        assertThat(Files.exists(ProductionCode.location().resolve("demo"))).isFalse();
    }
}
