package org.apitmoodle.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SyncPauseTest {

    @Test
    void runsUntilPausedAndKeepsTheFirstReasonUntilResumed() {
        SyncPause pause = new SyncPause();
        assertThat(pause.isPaused()).isFalse();
        assertThat(pause.reason()).isNull();

        pause.pause("Moodle refused the token (invalidtoken)");
        pause.pause("a later failure");

        assertThat(pause.isPaused()).isTrue();
        assertThat(pause.reason()).isEqualTo("Moodle refused the token (invalidtoken)");
        assertThat(pause.since()).isNotNull();

        pause.resume();
        assertThat(pause.isPaused()).isFalse();
        assertThat(pause.reason()).isNull();
    }
}
