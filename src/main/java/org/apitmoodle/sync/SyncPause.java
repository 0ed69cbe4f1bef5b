package org.apitmoodle.sync;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.apitmoodle.moodle.MoodleConfigurationException;
import org.apitmoodle.moodle.SyncFailure;

/**
 * Whether this instance may send to Moodle. Moodle unreachable, overloaded, in maintenance, or refusing the
 * integration itself (token revoked, account suspended) pauses sending: every record would fail alike, so none is
 * dead-lettered for it. A probe resumes sending once Moodle answers again; the health check "sync" reports the
 * pause and its reason. A setting Moodle refuses (category, role) pauses until a restart reads it again.
 *
 * <p>It also counts, per record, the pauses its batch caused while Moodle answered the probe: a record that keeps
 * failing while the site is up cannot pause sending more than {@code maxPausesPerRecord} times. Safe to share
 * between threads.
 */
public final class SyncPause {

    private record Paused(String reason, Instant since, boolean resumable) {
    }

    /** Null while sending runs. */
    private final AtomicReference<Paused> paused = new AtomicReference<>();
    private final int maxPausesPerRecord;
    private final Clock clock;
    private final Map<String, Integer> pausesByRecord = new ConcurrentHashMap<>();
    /** Told of each pause once it ended: when it began, when it ended. */
    private volatile BiConsumer<Instant, Instant> pauseEnded = (since, until) -> { };

    public SyncPause() {
        this(3);
    }

    public SyncPause(int maxPausesPerRecord) {
        this(maxPausesPerRecord, Clock.systemUTC());
    }

    public SyncPause(int maxPausesPerRecord, Clock clock) {
        this.maxPausesPerRecord = maxPausesPerRecord;
        this.clock = clock;
    }

    public boolean isPaused() {
        return paused.get() != null;
    }

    public boolean isRunning() {
        return paused.get() == null;
    }

    /** Whether a probe that Moodle answers may resume sending (not for a setting: that needs a restart). */
    public boolean isResumable() {
        Paused now = paused.get();
        return now != null && now.resumable();
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

    /**
     * Pauses sending for Moodle's refusal behind {@code cause} (Camel may have wrapped it); true when this paused it,
     * false when sending was paused already.
     */
    public boolean pause(Throwable cause) {
        SyncFailure failure = SyncFailure.in(cause);
        String setting = failure instanceof MoodleConfigurationException refused ? refused.getSetting() : null;
        String reason = failure != null ? failure.getMessage() + " (" + failure.getErrorCode() + ")"
                : cause == null ? null : cause.getMessage();
        if (setting != null) {
            reason = "Moodle refuses the value of the setting " + setting + ": " + reason + "; fix " + setting
                    + " and restart the integration";
        }
        return pause(reason, setting == null);
    }

    /**
     * Pauses sending when {@code cause} is Moodle refusing the integration itself (its account, its token, the site
     * in maintenance), whichever call met it: the grade poll's too, as every other call would meet it. Any other
     * failure pauses nothing here. True when this paused sending.
     */
    public boolean pauseIfRefused(Throwable cause) {
        return SyncFailure.in(cause) instanceof MoodleConfigurationException refused && refused.isWholeIntegration()
                && pause(cause);
    }

    /** Pauses sending; a second pause keeps the first reason and time, which is what the operator must fix. */
    public void pause(String reason) {
        pause(reason, true);
    }

    private boolean pause(String reason, boolean resumable) {
        String why = reason == null || reason.isBlank() ? "Moodle refused the integration" : reason;
        return paused.compareAndSet(null, new Paused(why, clock.instant(), resumable));
    }

    public void resume() {
        Paused ended = paused.getAndSet(null);
        if (ended != null) {
            pauseEnded.accept(ended.since(), clock.instant());
        }
    }

    /**
     * Who notes each pause once it has ended (the status page's history): the pause is noted once, so nothing is
     * written while it lasts.
     */
    public void onPauseEnded(BiConsumer<Instant, Instant> listener) {
        pauseEnded = listener;
    }

    /** The instance stops: a pause still running is noted as ended now (it stays paused). */
    public void stopping() {
        Paused now = paused.get();
        if (now != null) {
            pauseEnded.accept(now.since(), clock.instant());
        }
    }

    /** Stops a batch that was claimed before the pause from being sent; its records are released, not failed. */
    public void checkRunning() {
        Paused now = paused.get();
        if (now != null) {
            throw new MoodleConfigurationException("paused", "Sending is paused: " + now.reason(), true);
        }
    }

    /** Notes that the batch paused sending while Moodle answered the probe. */
    public void notePause(Batch batch) {
        for (Long id : batch.getIds()) {
            pausesByRecord.merge(key(batch, id), 1, Integer::sum);
        }
    }

    /** Whether a record of the batch has paused sending the most times it may. */
    public boolean hasPausedTooOften(Batch batch) {
        return batch.getIds().stream().anyMatch(id -> pausesByRecord.getOrDefault(key(batch, id), 0)
                >= maxPausesPerRecord);
    }

    /** The batch is done (synced or dead-lettered): its pauses are forgotten. */
    public void forget(Batch batch) {
        if (!pausesByRecord.isEmpty()) {
            batch.getIds().forEach(id -> pausesByRecord.remove(key(batch, id)));
        }
    }

    private static String key(Batch batch, Long id) {
        return batch.getOperation().key() + ":" + id;
    }
}
