package org.apitmoodle.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apitmoodle.support.Instance;
import org.apitmoodle.support.Observe;
import org.apitmoodle.support.SyncTestSupport;
import org.junit.jupiter.api.Test;

/**
 * /observe/info, which the README lists, answers. It is started as an operator starts it (not by Camel's test
 * support, which turns JMX off, and the info endpoint reads Camel's JMX beans).
 */
class ObserveInfoTest extends SyncTestSupport {

    @Test
    void infoAnswersWithCamelsOwnInformation() throws Exception {
        // The management port is the test's (SyncTestSupport's system property, which the instance reads).
        try (Instance instance = Instance.start("info", Map.of())) {
            var info = new Observe(managementPort).get("/observe/info");

            assertThat(info.statusCode()).isEqualTo(200);
            assertThat(info.body()).contains("\"name\":\"accessplanit-moodle-sync\"", "\"version\":\"4.18.0\"",
                    "\"status\":\"Running\"");
        }
    }
}
