package org.apitmoodle.deadletter;

import java.util.function.LongSupplier;

/**
 * Slows down password guessing on the operators' server. After {@code failuresBeforeDelay} failed sign-ins in a row,
 * every sign-in (right or wrong) is refused for {@code delayMs}; each further failure doubles the wait, up to
 * {@code maximumDelayMs}. A good sign-in resets it. It counts for the whole server, not per address: behind a
 * reverse proxy every request comes from the same address, and a guesser with many addresses is slowed too.
 */
public final class LoginThrottle {

    private final int failuresBeforeDelay;
    private final long delayMs;
    private final long maximumDelayMs;
    private final LongSupplier clock;
    private int failures;
    private long refusedUntil;

    public LoginThrottle(int failuresBeforeDelay, long delayMs, long maximumDelayMs, LongSupplier clock) {
        this.failuresBeforeDelay = failuresBeforeDelay;
        this.delayMs = delayMs;
        this.maximumDelayMs = maximumDelayMs;
        this.clock = clock;
    }

    /** Milliseconds until a sign-in may be tried again; 0 when it may be tried now. */
    public synchronized long waitMs() {
        return Math.max(0, refusedUntil - clock.getAsLong());
    }

    /** A wrong name or password was given. */
    public synchronized void failed() {
        failures++;
        int over = failures - failuresBeforeDelay;
        if (over >= 0) {
            long wait = delayMs << Math.min(over, 30);
            refusedUntil = clock.getAsLong() + (wait <= 0 || wait > maximumDelayMs ? maximumDelayMs : wait);
        }
    }

    /** The right name and password were given. */
    public synchronized void succeeded() {
        failures = 0;
        refusedUntil = 0;
    }
}
