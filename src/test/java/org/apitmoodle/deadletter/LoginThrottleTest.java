package org.apitmoodle.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final LoginThrottle throttle = new LoginThrottle(3, 1_000, 8_000, now::get);

    @Test
    void afterSomeFailuresInARowSignInsWaitLongerWithEachFurtherFailure() {
        throttle.failed();
        throttle.failed();
        assertThat(throttle.waitMs()).as("two failures: no wait yet").isZero();

        throttle.failed();
        assertThat(throttle.waitMs()).isEqualTo(1_000);
        now.addAndGet(1_000);
        assertThat(throttle.waitMs()).isZero();

        throttle.failed();
        assertThat(throttle.waitMs()).as("doubled").isEqualTo(2_000);
        now.addAndGet(2_000);
        throttle.failed();
        assertThat(throttle.waitMs()).isEqualTo(4_000);
        now.addAndGet(4_000);
        throttle.failed();
        assertThat(throttle.waitMs()).isEqualTo(8_000);
        now.addAndGet(8_000);
        throttle.failed();
        assertThat(throttle.waitMs()).as("never over the maximum").isEqualTo(8_000);
    }

    @Test
    void aGoodSignInResetsIt() {
        for (int i = 0; i < 3; i++) {
            throttle.failed();
        }
        now.addAndGet(1_000);
        throttle.succeeded();

        throttle.failed();
        throttle.failed();
        assertThat(throttle.waitMs()).isZero();
    }

    @Test
    void manyFailuresNeverOverflowTheWait() {
        for (int i = 0; i < 200; i++) {
            throttle.failed();
        }
        assertThat(throttle.waitMs()).isEqualTo(8_000);
    }
}
