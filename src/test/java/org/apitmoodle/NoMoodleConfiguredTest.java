package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

/** The production application never falls back to a demo: with no Moodle configured it does not start. */
class NoMoodleConfiguredTest {

    @Test
    void anEmptyMoodleUrlStopsStartUpWithOneSentenceThatPointsToTheDemo() throws IOException {
        Main main = Application.create();
        main.addOverrideProperty("moodle.url", "");
        main.addOverrideProperty("management.port", Integer.toString(freePort()));

        assertThatThrownBy(main::run)
                .isInstanceOf(Settings.InvalidSettingException.class)
                .hasMessageStartingWith("moodle.url is missing")
                .hasMessageEndingWith("without a Moodle (" + Settings.DEMO_COMMAND + ").");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
