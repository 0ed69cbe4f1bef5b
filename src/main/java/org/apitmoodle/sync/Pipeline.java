package org.apitmoodle.sync;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.ProducerTemplate;
import org.apitmoodle.moodle.BadRecordException;
import org.apitmoodle.moodle.MoodleCall;
import org.apitmoodle.moodle.MoodleConfigurationException;
import org.apitmoodle.moodle.SyncFailure;

/** The steps of the route send-batch that hand Moodle's answers to the {@link Batch} travelling with the exchange. */
public final class Pipeline {

    private final SyncPause pause;
    private final ProducerTemplate routes;
    private final String sendUri;
    private final String callUri;
    private final MoodleCall probe;

    /** What to do with a batch Moodle did not take for a reason that is not its data (see {@link #judge}). */
    public enum Verdict {
        /** Sending is (already) paused: the batch's records are released to wait, quietly. */
        RELEASE,
        /** Moodle is down or refuses the integration: sending pauses, the records are released. */
        PAUSE,
        /** Moodle answers, but not this call: the batch is sent again in parts. */
        SPLIT,
        /** Moodle answers, but not this record's call, even alone: it goes to the dead-letter queue. */
        DEAD_LETTER
    }

    /**
     * {@code callUri}: where a Moodle call is made (direct:call-moodle); {@code probe}: the call that asks whether
     * Moodle accepts the integration at all (core_webservice_get_site_info).
     */
    public Pipeline(SyncPause pause, ProducerTemplate routes, String sendUri, String callUri, MoodleCall probe) {
        this.pause = pause;
        this.routes = routes;
        this.sendUri = sendUri;
        this.callUri = callUri;
        this.probe = probe;
    }

    /**
     * Starts the batch's calls from the beginning (again, when a passing failure is retried): the first call, or
     * the rows to write back when none is due. A batch claimed before sending paused is not sent.
     */
    public Object start(@ExchangeProperty("batch") Batch batch) {
        pause.checkRunning();
        batch.start();
        return next(batch);
    }

    /** Moodle's answer to the batch's last call; then the next call, or the rows to write back when none is due. */
    public Object answered(@ExchangeProperty("batch") Batch batch, @Body JsonNode answer) {
        batch.answered(answer);
        if (!batch.isCallDue()) {
            pause.forget(batch);
        } else {
            // Paused meanwhile (by another batch): the next call is not sent, the records are released.
            pause.checkRunning();
        }
        return next(batch);
    }

    /**
     * Decides by evidence what a batch's failure means, when it is not the records' data: Moodle unreachable or
     * overloaded after the retries, or a refusal. Moodle refusing the account or the token (or in maintenance), or
     * a setting, pauses sending. Otherwise Moodle is asked who we are (the probe): no answer pauses sending; an
     * answer means Moodle refuses this call only, so the batch is split and a record that fails alone is
     * dead-lettered (see {@link #refusedAlone}). A call
     * that keeps failing while Moodle answers may pause sending only a bounded number of times per record.
     */
    // Synchronized: batches failing side by side are judged one after the other, so only the first asks Moodle who
    // we are; the others find sending paused (or not) by then, and no second probe reaches a Moodle that is down.
    public synchronized Verdict judge(Exchange exchange) {
        Batch batch = exchange.getProperty("batch", Batch.class);
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        SyncFailure failure = SyncFailure.in(caught);
        MoodleConfigurationException refused = failure instanceof MoodleConfigurationException r ? r : null;
        if (pause.isPaused()) {
            return Verdict.RELEASE;
        }
        if (refused != null && (refused.isWholeIntegration() || refused.getSetting() != null)) {
            pause.pause(caught);
            return Verdict.PAUSE;
        }
        if (!moodleAnswersProbe()) {
            pause.pause(caught);
            return Verdict.PAUSE;
        }
        if (refused == null && !pause.hasPausedTooOften(batch)) {
            // Unreachable or overloaded for this call while the probe got through: perhaps Moodle is just coming
            // back. Paused (and counted) rather than dead-lettered.
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

    /** Whether Moodle answers core_webservice_get_site_info now. */
    private boolean moodleAnswersProbe() {
        if (callUri == null) {
            return false;
        }
        Exchange answer = routes.send(callUri, exchange -> exchange.getMessage().setBody(probe));
        return answer.getException() == null;
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
     * Sends the parts of a refused batch through the pipeline again (see {@link Batch#partsToRetry}), each as a
     * fresh exchange: a part is a batch of its own, with its own error handling, and nothing of the failed
     * exchange's error-handling state travels with it. (Split from the error handler, Camel copies its
     * fatal-fallback marker into each part, so a part's own failure was taken for a loop and dropped.)
     */
    public void retryInParts(@ExchangeProperty("batch") Batch batch,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable refusal) {
        for (Batch part : batch.partsToRetry(refusal)) {
            Exchange sent = routes.send(sendUri, exchange -> exchange.getMessage().setBody(part));
            if (sent.getException() != null) {
                // Not taken by the part's own dead-letter channel: its claims stay until their lease ends.
                throw new IllegalStateException("A part of a refused batch could not be sent: " + part,
                        sent.getException());
            }
        }
    }
}
