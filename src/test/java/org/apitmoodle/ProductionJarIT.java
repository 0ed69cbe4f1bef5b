package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.apitmoodle.support.ProductionCode;
import org.junit.jupiter.api.Test;

/**
 * After mvn package (failsafe runs it in mvn verify): the production jar holds no emulator or demo class, none of
 * its classes names one, and it has no demo data.
 */
class ProductionJarIT {

    @Test
    void theProductionJarHoldsNoEmulatorOrDemoCodeAndNamesNone() throws Exception {
        Path jar = Path.of(System.getProperty("production.jar", "target/accessplanit-moodle-sync.jar"));

        assertThat(jar).as("the production jar (mvn package makes it)").isRegularFile();
        assertThat(ProductionCode.testOnlyCodeIn(jar)).isEmpty();
    }
}
