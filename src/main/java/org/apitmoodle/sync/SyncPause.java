package org.apitmoodle.sync;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.apitmoodle.moodle.MoodleConfigurationException;
import org.apitmoodle.moodle.SyncFailure;

/**
 * Whether this instance may send to Moodle. Moodle refusing the integration itself (token revoked, function not in
 * the service, capability missing) pauses sending: every record would fail alike, so none is dead-lettered for it.
 * A probe resumes sending once Moodle answers again; the health check "sync" reports the pause and its reason.
 * Safe to share between threads.
 */
public final class SyncPause {

    private record Paused(String reason, Instant since) {
    }

    /** Null while sending runs. */
    private final AtomicReference<Paused> paused = new AtomicReference<>();

    public boolean isPaused() {
        return paused.get() != null;
    }

    public boolean isRunning() {
        return paused.get() == null;
    }

    /** Why sending is paused; null while it runs. */
    public String reason() {
        Paused now = paused.get();
        return now == null ? null : now.reason();
    }

    /** When sending was paused; null while it runs. */
    public Instant since() {
        Paused now = paused.get();
        return now == null ? null : now.since();
    }

    /** Pauses sending for Moodle's refusal behind {@code cause} (Camel may have wrapped it). */
    public void pause(Throwable cause) {
        SyncFailure failure = SyncFailure.in(cause);
        pause(failure != null ? failure.getMessage() + " (" + failure.getErrorCode() + ")"
                : cause == null ? null : cause.getMessage());
    }

    /** Pauses sending; a second pause keeps the first reason and time, which is what the operator must fix. */
    public void pause(String reason) {
        paused.compareAndSet(null, new Paused(reason == null || reason.isBlank() ? "Moodle refused the integration"
                : reason, Instant.now()));
    }

    public void resume() {
        paused.set(null);
    }

    /** Stops a batch that was claimed before the pause from being sent; its records are released, not failed. */
    public void checkRunning() {
        Paused now = paused.get();
        if (now != null) {
            throw new MoodleConfigurationException("paused", "Sending is paused: " + now.reason());
        }
    }
}
