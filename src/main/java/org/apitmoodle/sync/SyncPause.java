package org.apitmoodle.sync;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether the sync is paused, and why. A failure no retry can fix (Moodle refusing the token, a missing
 * capability) pauses the sync until someone fixes the site or the settings; the health check reports it.
 * Safe to share between threads.
 */
public final class SyncPause {

    private record Paused(String reason, Instant since) {
    }

    /** Null while the sync runs. */
    private final AtomicReference<Paused> paused = new AtomicReference<>();

    public boolean isPaused() {
        return paused.get() != null;
    }

    /** Why the sync is paused; null while it runs. */
    public String reason() {
        Paused now = paused.get();
        return now == null ? null : now.reason();
    }

    /** When the sync was paused; null while it runs. */
    public Instant since() {
        Paused now = paused.get();
        return now == null ? null : now.since();
    }

    /** Pauses the sync; a second pause keeps the first reason and time, which is what the operator must fix. */
    public void pause(String reason) {
        paused.compareAndSet(null, new Paused(reason == null || reason.isBlank() ? "no reason given" : reason,
                Instant.now()));
    }

    public void resume() {
        paused.set(null);
    }
}
