package org.apitmoodle.support;

import java.time.Duration;
import org.apache.camel.BeanInject;
import org.apitmoodle.emulator.LatencyModel;
import org.apitmoodle.sync.SyncPause;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The outer edges of a test that breaks Moodle on purpose: after each test every fault the emulator can make is
 * healed (down, refusing, a revoked token, slow, failing calls), and a pause it caused has ended, by the probe where
 * it resumes by itself, so the next test starts with sending running.
 */
public abstract class FaultTestSupport extends SyncTestSupport {

    @BeanInject("syncPause")
    protected SyncPause syncPause;

    protected Accessplanit accessplanit;

    @BeforeEach
    void accessplanitTables() {
        accessplanit = new Accessplanit(db);
    }

    @AfterEach
    void healMoodle() {
        moodle.comeUp();
        moodle.clearRefusals();
        moodle.restoreToken();
        moodle.setResponseDelay(Duration.ZERO);
        moodle.setLatencyModel(LatencyModel.NONE);
        moodle.failNextCalls(0, 500);
        eventually().until(() -> syncPause.isRunning() || !syncPause.isResumable());
        syncPause.resume();
    }
}
