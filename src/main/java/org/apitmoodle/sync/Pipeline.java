package org.apitmoodle.sync;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apitmoodle.moodle.BadRecordException;
import org.apitmoodle.moodle.MoodleConfigurationException;
import org.apitmoodle.moodle.SyncFailure;

/**
 * The steps of the routes send-part and pause-sync that hand Moodle's answers to the {@link Batch} travelling with
 * the exchange, and judge what a failure means. It decides; the routes make every call.
 */
public final class Pipeline {

    /** The exchange property that keeps the batch's own failure while the probe is asked (its failure is not it). */
    private static final String JUDGED_FAILURE = "judgedFailure";

    private final SyncPause pause;
    /** How long a batch failing beside another waits for the other's probe before it waits for the next poll. */
    private final long probeWaitMs;
    /** Whether a batch's judgement is waiting for the probe's answer (guarded by this). */
    private boolean probing;

    /** What to do with a batch Moodle did not take for a reason that is not its data (see {@link #judge}). */
    public enum Verdict {
        /** Not known yet: the route asks Moodle who we are (the probe), then {@link #judgeByProbe}. */
        PROBE,
        /** Sending is (already) paused: the batch's records are released to wait, quietly. */
        RELEASE,
        /** Moodle is down or refuses the integration: sending pauses, the records are released. */
        PAUSE,
        /** Moodle answers, but not this call: the batch is sent again in parts. */
        SPLIT,
        /** Moodle answers, but not this record's call, even alone: it goes to the dead-letter queue. */
        DEAD_LETTER
    }

    /** {@code probeWaitMs}: at most a Moodle call's time out, so a batch never waits longer than the probe can. */
    public Pipeline(SyncPause pause, long probeWaitMs) {
        this.pause = pause;
        this.probeWaitMs = probeWaitMs;
    }

    /**
     * Starts the batch's calls from the beginning (again, when a passing failure is retried): the first call, or
     * the rows to write back when none is due. (While sending is paused, the route call-moodle sends none of them.)
     */
    public Object start(@ExchangeProperty("batch") Batch batch) {
        batch.start();
        return next(batch);
    }

    /** Moodle's answer to the batch's last call; then the next call, or the rows to write back when none is due. */
    public Object answered(@ExchangeProperty("batch") Batch batch, @Body JsonNode answer) {
        batch.answered(answer);
        if (!batch.isCallDue()) {
            pause.forget(batch);
        }
        return next(batch);
    }

    /**
     * Decides by evidence what a batch's failure means, when it is not the records' data: Moodle unreachable or
     * overloaded after the retries, or a refusal. Moodle refusing the account or the token (or in maintenance), or
     * a setting, pauses sending. Otherwise the route asks Moodle who we are (the probe), and
     * {@link #judgeByProbe} decides.
     *
     * <p>Batches failing side by side are judged one after the other: while one batch's probe is out, the others
     * wait for its answer, so only one probe reaches a Moodle that is down, and they find sending paused (or not).
     */
    public synchronized Verdict judge(Exchange exchange) throws InterruptedException {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        exchange.setProperty(JUDGED_FAILURE, caught);
        long deadline = System.nanoTime() + probeWaitMs * 1_000_000L;
        for (long left = probeWaitMs; probing && left > 0; left = (deadline - System.nanoTime()) / 1_000_000L) {
            wait(left);
        }
        SyncFailure failure = SyncFailure.in(caught);
        MoodleConfigurationException refused = failure instanceof MoodleConfigurationException r ? r : null;
        if (pause.isPaused() || probing) {
            // Paused, or another batch's probe is still out: the records wait for the next poll.
            return Verdict.RELEASE;
        }
        if (refused != null && (refused.isWholeIntegration() || refused.getSetting() != null)) {
            pause.pause(caught);
            return Verdict.PAUSE;
        }
        probing = true;
        return Verdict.PROBE;
    }

    /**
     * The verdict once the route asked Moodle who we are ({@code moodleAnswers}: whether the probe got an answer).
     * No answer pauses sending. An answer means Moodle refuses this call only: the batch is split, and a record
     * that fails alone is dead-lettered (see {@link #refusedAlone}); but a call that was unreachable or overloaded
     * while the probe got through may be Moodle just coming back, so it pauses instead, a bounded number of times
     * per record.
     */
    public synchronized Verdict judgeByProbe(Exchange exchange,
            @ExchangeProperty("moodleAnswers") boolean moodleAnswers) {
        probing = false;
        notifyAll();
        Batch batch = exchange.getProperty("batch", Batch.class);
        // The probe's own failure, if any, was caught on the way: the batch's failure is what is judged and kept.
        Throwable caught = exchange.getProperty(JUDGED_FAILURE, Throwable.class);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, caught);
        boolean refused = SyncFailure.in(caught) instanceof MoodleConfigurationException;
        if (pause.isPaused()) {
            return Verdict.RELEASE;
        }
        if (!moodleAnswers) {
            pause.pause(caught);
            return Verdict.PAUSE;
        }
        if (!refused && !pause.hasPausedTooOften(batch)) {
            pause.notePause(batch);
            pause.pause(caught);
            return Verdict.PAUSE;
        }
        return batch.getSize() > 1 ? Verdict.SPLIT : Verdict.DEAD_LETTER;
    }

    /**
     * The failure of a record Moodle refused alone while it accepts the integration becomes bad data, with
     * Moodle's code and the reason: the dead-letter row, the log line and the metric then say the same.
     */
    public void refusedAlone(Exchange exchange) {
        Batch batch = exchange.getProperty("batch", Batch.class);
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String code = DeadLetters.errorCode(caught);
        BadRecordException alone = new BadRecordException(code, "accessexception".equals(code)
                // A function missing from the service, for one optional feature (groups, say): what to add where.
                ? "Moodle's web service for the integration does not offer " + batch.getMoodleFunction() + ", which "
                        + batch.getOperation().plural() + " need. A Moodle administrator adds it to the service (Site"
                        + " administration > Server > Web services > External services; README, \"Setting up Moodle\"),"
                        + " then replay; or switch the feature off in the integration's settings."
                : "Moodle accepts the integration but refused the call for this record alone ("
                        + DeadLetters.message(caught) + ")");
        alone.initCause(caught);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, alone);
        pause.forget(batch);
    }

    private static Object next(Batch batch) {
        return batch.isCallDue() ? batch.getNextCall() : batch.getWriteBack();
    }

    /**
     * Moodle refused a call of the batch: fails it again with what the refusal means for the operation (a
     * configuration error, for instance, pauses sending instead of dead-lettering the records).
     */
    public void refusedByMoodle(@ExchangeProperty("batch") Batch batch,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure) throws Throwable {
        SyncFailure meant = batch.refusedByMoodle(failure);
        throw meant != null ? meant : failure;
    }

    /** Fails a record Moodle refused in a successful answer, with Moodle's reason. */
    public void refuse(@ExchangeProperty("batch") Batch batch) {
        batch.refuse();
    }

    /**
     * Queues the parts of a refused batch to be sent (see {@link Batch#retryInParts}); the route send-batch sends
     * them, each as a batch of its own.
     */
    public void retryInParts(@ExchangeProperty("batch") Batch batch,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable refusal) {
        batch.retryInParts(refusal);
    }
}
