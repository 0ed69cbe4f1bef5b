package org.apitmoodle.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Locale;
import org.apitmoodle.emulator.MoodleEmulator;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;

/**
 * The outer edges of an end-to-end test: a fresh database of the test class's own and a Moodle emulator. The
 * application (booted by {@code @CamelMainTest}) finds them through system properties, which override
 * application.properties, as an operator's -D settings would.
 */
public abstract class SyncTestSupport {

    protected static final String TOKEN = "test-token-0123456789abcdef";
    /** The emulator's "Accessplanit courses" category. */
    protected static final long CATEGORY = 2;
    protected static final long STUDENT_ROLE = 5;

    protected static MoodleEmulator moodle;
    protected static TestDatabase db;
    /** The port of Camel's management server (/observe/...): a free one, as tests never bind a fixed port. */
    protected static int managementPort;

    @BeforeAll
    static void startMoodleAndDatabase(TestInfo test) {
        String name = TestDatabase.PREFIX + test.getTestClass().orElseThrow().getSimpleName().toLowerCase(Locale.ROOT);
        db = TestDatabase.recreate(name);
        moodle = MoodleEmulator.start(0, TOKEN);
        System.setProperty("db.url", db.url());
        System.setProperty("moodle.url", moodle.url());
        System.setProperty("moodle.token", TOKEN);
        System.setProperty("moodle.category-id", Long.toString(CATEGORY));
        System.setProperty("moodle.role-id", Long.toString(STUDENT_ROLE));
        managementPort = freePort();
        System.setProperty("management.port", Integer.toString(managementPort));
    }

    protected static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port", e);
        }
    }

    @AfterAll
    static void stopMoodle() {
        for (String property : new String[] {"db.url", "moodle.url", "moodle.token", "moodle.category-id", "moodle.role-id",
                "management.port"}) {
            System.clearProperty(property);
        }
        moodle.close();
    }

    protected static ConditionFactory eventually() {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
    }
}
