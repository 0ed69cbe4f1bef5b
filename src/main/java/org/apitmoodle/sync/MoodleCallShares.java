package org.apitmoodle.sync;

import java.io.InterruptedIOException;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apitmoodle.moodle.CallsInFlight;
import org.apitmoodle.moodle.MoodleCall;

/**
 * Which calls in flight a Moodle call counts against: the grade poll has its own share, so it never holds back the
 * sync; course copies have theirs (courses.copy-calls-in-flight, fixed: a copy is slow and heavy on Moodle, and
 * must not take the sync's permits nor be counted in its yardsticks); every other batch's call (the sync pipeline's) counts against the sync's. A call outside a batch (the
 * health check's, the probe's while paused: one now and then) is not limited. The route call-moodle takes a
 * permit before the HTTP call ({@link #acquire}) and gives it back after ({@link #release}), with what the answer
 * said about Moodle's load.
 */
public final class MoodleCallShares {

    /** The exchange property holding the call's permit. */
    public static final String PERMIT = "moodleCallPermit";

    private final CallsInFlight sync;
    private final CallsInFlight grades;
    private final CallsInFlight copies;

    public MoodleCallShares(CallsInFlight sync, CallsInFlight grades) {
        this(sync, grades, sync);
    }

    public MoodleCallShares(CallsInFlight sync, CallsInFlight grades, CallsInFlight copies) {
        this.sync = sync;
        this.grades = grades;
        this.copies = copies;
    }

    /** The course copies' share. */
    public CallsInFlight copies() {
        return copies;
    }

    public CallsInFlight sync() {
        return sync;
    }

    public CallsInFlight grades() {
        return grades;
    }

    /** Waits for a permit of the call's share (none for a call outside a batch). */
    public void acquire(Exchange exchange) throws InterruptedException {
        Batch batch = exchange.getProperty("batch", Batch.class);
        if (batch == null) {
            return;
        }
        CallsInFlight share = batch.getOperation() == Operation.GRADES ? grades
                : batch.getOperation() == Operation.COURSE_COPY ? copies : sync;
        exchange.setProperty(PERMIT, share.acquire(kind(exchange.getProperty("moodleCall", MoodleCall.class))));
    }

    /**
     * Gives the permit back: an answer HTTP 429 or 503, or none in time, says Moodle is overloaded; another answer
     * is timed against the fastest of its kind; any other failure (a refused connection) says nothing of the load.
     */
    public void release(Exchange exchange) {
        CallsInFlight.Permit permit = exchange.getProperty(PERMIT, CallsInFlight.Permit.class);
        if (permit == null) {
            return;
        }
        exchange.removeProperty(PERMIT);
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure != null) {
            if (timedOut(failure)) {
                permit.overloaded();
            } else {
                permit.ignored();
            }
            return;
        }
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status != null && (status == 429 || status == 503)) {
            permit.overloaded();
        } else if (status != null && status == 200) {
            permit.answered(kind(exchange.getProperty("moodleCall", MoodleCall.class)));
        } else {
            permit.ignored();
        }
    }

    /** The kind of a call, for its yardstick: the function and how many records it carries. */
    static String kind(MoodleCall call) {
        if (call == null) {
            return "";
        }
        Map.Entry<String, List<?>> records = call.perRecord();
        return call.function() + "#" + (records == null ? 0 : records.getValue().size());
    }

    private static boolean timedOut(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InterruptedIOException) { // SocketTimeoutException, ConnectTimeoutException
                return true;
            }
        }
        return false;
    }
}
