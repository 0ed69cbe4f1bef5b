package org.apitmoodle.sync;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.ProducerTemplate;
import org.apitmoodle.moodle.SyncFailure;

/** The steps of the route send-batch that hand Moodle's answers to the {@link Batch} travelling with the exchange. */
public final class Pipeline {

    private final SyncPause pause;
    private final ProducerTemplate routes;
    private final String sendUri;

    /** {@code sendUri}: where a batch is sent (direct:send-batch). */
    public Pipeline(SyncPause pause, ProducerTemplate routes, String sendUri) {
        this.pause = pause;
        this.routes = routes;
        this.sendUri = sendUri;
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
        return next(batch);
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
