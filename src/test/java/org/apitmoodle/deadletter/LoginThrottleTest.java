package org.apitmoodle.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The throttle against a clock the test moves. */
class LoginThrottleTest {

    private static final String A = "198.51.100.7";
    private static final String B = "203.0.113.20";

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final LoginThrottle throttle = new LoginThrottle(3, 1_000, 8_000, now::get);

    @Test
    void afterSomeFailuresInARowSignInsWaitLongerWithEachFurtherFailure() {
        throttle.failed(A);
        throttle.failed(A);
        assertThat(throttle.waitMs(A)).as("two failures: no wait yet").isZero();

        throttle.failed(A);
        assertThat(throttle.waitMs(A)).isEqualTo(1_000);
        now.addAndGet(1_000);
        assertThat(throttle.waitMs(A)).isZero();

        throttle.failed(A);
        assertThat(throttle.waitMs(A)).as("doubled").isEqualTo(2_000);
        now.addAndGet(2_000);
        throttle.failed(A);
        assertThat(throttle.waitMs(A)).isEqualTo(4_000);
        now.addAndGet(4_000);
        throttle.failed(A);
        assertThat(throttle.waitMs(A)).isEqualTo(8_000);
        now.addAndGet(8_000);
        throttle.failed(A);
        assertThat(throttle.waitMs(A)).as("never over the maximum").isEqualTo(8_000);
    }

    @Test
    void aGoodSignInResetsIt() {
        for (int i = 0; i < 3; i++) {
            throttle.failed(A);
        }
        now.addAndGet(1_000);
        throttle.succeeded(A);

        throttle.failed(A);
        throttle.failed(A);
        assertThat(throttle.waitMs(A)).isZero();
    }

    @Test
    void manyFailuresNeverOverflowTheWait() {
        for (int i = 0; i < 200; i++) {
            throttle.failed(A);
        }
        assertThat(throttle.waitMs(A)).isEqualTo(8_000);
    }

    @Test
    void wrongGuessesFromOneAddressNeverDelayAnother() {
        for (int i = 0; i < 10; i++) {
            throttle.failed(A);
        }
        assertThat(throttle.waitMs(A)).isEqualTo(8_000);

        assertThat(throttle.waitMs(B)).as("the operator at another address signs in at once").isZero();
        throttle.succeeded(B);
        assertThat(throttle.waitMs(A)).as("the guesser still waits").isEqualTo(8_000);
        now.addAndGet(7_999);
        assertThat(throttle.waitMs(A)).isEqualTo(1);

        throttle.failed(B);
        throttle.failed(B);
        assertThat(throttle.waitMs(B)).as("B's own count starts at nothing").isZero();
    }

    @Test
    void oneMachinesIpv6AddressesCountTogether() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("2001:db8:1:2::" + Integer.toHexString(i + 1));
        }
        assertThat(throttle.waitMs("2001:db8:1:2:ffff::9")).as("same /64").isEqualTo(1_000);
        assertThat(throttle.waitMs("[2001:0db8:0001:0002::1]")).as("however it is written").isEqualTo(1_000);
        assertThat(throttle.waitMs("2001:db8:1:3::1")).as("another /64").isZero();
    }

    @Test
    void itRemembersBoundedlyManyAddressesAndForgetsQuietOnes() {
        LoginThrottle small = new LoginThrottle(1, 1_000, 8_000, 3, 60_000, now::get);
        for (int i = 1; i <= 10; i++) {
            small.failed("192.0.2." + i);
            now.addAndGet(1);
        }
        assertThat(small.addresses()).as("at most the maximum").isEqualTo(3);
        assertThat(small.waitMs("192.0.2.10")).as("the latest are kept").isPositive();
        assertThat(small.waitMs("192.0.2.1")).as("the one quiet longest was forgotten").isZero();

        now.addAndGet(60_000);
        small.failed("192.0.2.50");
        assertThat(small.addresses()).as("quiet for the forget time: forgotten").isEqualTo(1);
    }
}
