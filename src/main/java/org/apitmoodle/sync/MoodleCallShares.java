package org.apitmoodle.sync;

import java.io.InterruptedIOException;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apitmoodle.moodle.CallsInFlight;
import org.apitmoodle.moodle.MoodleCall;

/**
 * Which calls in flight a Moodle call counts against, and on which threads its batches go (as many as that limit,
 * see {@link CallsInFlight#limits}): the grade poll has its own share, so it never holds back the sync; course
 * copies have theirs (courses.copy-calls-in-flight, fixed: a copy is slow and heavy on Moodle, and must not take the
 * sync's threads nor be counted in its yardsticks); every other operation's batches go on the sync's. A call
 * outside a batch (the health check's, the drift reconcile's, which gives way to the sync) is not counted. The route
 * call-moodle notes the call when it goes ({@link #start}) and hands it the answer ({@link #finish}), which says
 * something about Moodle's load.
 */
public final class MoodleCallShares {

    /** The exchange property holding the call in flight. */
    public static final String CALL = "moodleCallInFlight";

    /** The threads (a pool in the registry) that take the sync's batches to Moodle, the grade poll's, the copies'. */
    public static final String SYNC_THREADS = "moodleCalls";
    public static final String GRADE_THREADS = "gradeCalls";
    public static final String COPY_THREADS = "copyCalls";

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

    /** The share an operation's calls count against. */
    public CallsInFlight of(Operation operation) {
        return switch (operation) {
            case GRADES -> grades;
            case COURSE_COPY -> copies;
            default -> sync;
        };
    }

    /** The name of the pool whose threads take an operation's batches to Moodle. */
    public static String threadsOf(Operation operation) {
        return switch (operation) {
            case GRADES -> GRADE_THREADS;
            case COURSE_COPY -> COPY_THREADS;
            default -> SYNC_THREADS;
        };
    }

    /** A batch's call goes now: counted in its share's calls in flight, and timed (a call outside a batch is not). */
    public void start(Exchange exchange) {
        Batch batch = exchange.getProperty("batch", Batch.class);
        if (batch == null) {
            return;
        }
        exchange.setProperty(CALL, of(batch.getOperation())
                .start(kind(exchange.getProperty("moodleCall", MoodleCall.class))));
    }

    /**
     * The call is over: an answer HTTP 429 or 503, or none in time, says Moodle is overloaded; another answer is
     * timed against the fastest of its kind; any other failure (a refused connection) says nothing of the load.
     */
    public void finish(Exchange exchange) {
        CallsInFlight.Call call = exchange.getProperty(CALL, CallsInFlight.Call.class);
        if (call == null) {
            return;
        }
        exchange.removeProperty(CALL);
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure != null) {
            if (timedOut(failure)) {
                call.overloaded();
            } else {
                call.ignored();
            }
            return;
        }
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status != null && (status == 429 || status == 503)) {
            call.overloaded();
        } else if (status != null && status == 200) {
            call.answered(kind(exchange.getProperty("moodleCall", MoodleCall.class)));
        } else {
            call.ignored();
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
