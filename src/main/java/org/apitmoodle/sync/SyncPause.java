package org.apitmoodle.sync;

import org.apitmoodle.moodle.MoodleConfigurationException;
import org.apitmoodle.moodle.SyncFailure;

/**
 * Whether this instance may send to Moodle. Moodle refusing the integration itself (token revoked, function not in
 * the service, capability missing) pauses sending: every record would fail alike, so none is dead-lettered for it.
 * A probe resumes sending once Moodle answers again. Health reports the pause and its reason.
 */
public final class SyncPause {

    private volatile String reason;

    public boolean isPaused() {
        return reason != null;
    }

    public boolean isRunning() {
        return reason == null;
    }

    /** Why sending is paused; null while running. */
    public String reason() {
        return reason;
    }

    /** Pauses sending for Moodle's refusal behind {@code cause} (Camel may have wrapped it). */
    public void pause(Throwable cause) {
        SyncFailure failure = SyncFailure.in(cause);
        pause(failure != null ? failure.getMessage() + " (" + failure.getErrorCode() + ")"
                : cause == null ? null : cause.getMessage());
    }

    /** Pauses sending; while paused, the first reason stands (later batches fail only because of the pause). */
    public synchronized void pause(String why) {
        if (reason == null) {
            reason = why == null || why.isBlank() ? "Moodle refused the integration" : why;
        }
    }

    public synchronized void resume() {
        reason = null;
    }

    /** Stops a batch that was claimed before the pause from being sent; its records are released, not failed. */
    public void checkRunning() {
        String why = reason;
        if (why != null) {
            throw new MoodleConfigurationException("paused", "Sending is paused: " + why);
        }
    }
}
