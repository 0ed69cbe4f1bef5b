package org.apitmoodle.deadletter;

/** Too many failed sign-ins in a row: this one is refused unchecked (HTTP 429) until the wait is over. */
public final class SignInsThrottledException extends RuntimeException {

    private final long retryAfterSeconds;

    public SignInsThrottledException(long waitMs) {
        super("Too many failed sign-ins: try again in " + Math.max(1, (waitMs + 999) / 1000) + " s.");
        this.retryAfterSeconds = Math.max(1, (waitMs + 999) / 1000);
    }

    /** The value of the Retry-After header. */
    public long getRetryAfterSeconds() {
        return retryAfterSeconds;
    }
}
