package org.apitmoodle.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apitmoodle.moodle.BadRecordException;
import org.apitmoodle.moodle.SyncFailure;

/**
 * Turns a failed batch into dead-letter entries, one per record: what it is, what was (or would have been) sent
 * for it, and why it failed, in words an operator can act on.
 */
public final class DeadLetters {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The batch's entries as {@code entries}: one JSON array for dead-letter-record.sql, which writes them in one
     * statement and answers which it wrote (a record already DONE gets none).
     */
    public Map<String, Object> entries(@ExchangeProperty("batch") Batch batch,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
        return Map.of("entries", toJson(entryList(batch, cause)));
    }

    static List<Map<String, Object>> entryList(Batch batch, Throwable cause) {
        // The first attempt and every retry made before giving up.
        int attempts = batch.getAttempts();
        // What was sent lines up with the batch only when the whole batch was sent (none adopted on the way).
        List<?> sent = batch.getSentPerRecord();
        List<Map<String, Object>> records = batch.getRecords();
        List<Map<String, Object>> entries = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            Object params = SyncFailure.in(cause) instanceof BadRecordException bad && bad.getMoodleParams() != null
                    ? bad.getMoodleParams()
                    : sent != null ? sent.get(i)
                    : records.size() == 1 && batch.getLastCall() != null ? batch.getLastCall().parameters() : null;
            Map<String, Object> entry = new HashMap<>();
            entry.put("entity_type", batch.getOperation().key());
            entry.put("entity_id", batch.getOperation().id(records.get(i)));
            entry.put("moodle_function", batch.getMoodleFunction());
            entry.put("moodle_params", params);
            entry.put("error_class", errorClass(cause));
            entry.put("error_code", errorCode(cause));
            entry.put("error_message", message(cause));
            entry.put("attempts", attempts);
            entries.add(entry);
        }
        return entries;
    }

    public static String errorClass(Throwable cause) {
        SyncFailure failure = SyncFailure.in(cause);
        if (failure != null) {
            return failure.getKind().label();
        }
        return ioFailure(cause) != null ? "transient" : "unexpected";
    }

    public static String errorCode(Throwable cause) {
        SyncFailure failure = SyncFailure.in(cause);
        if (failure != null) {
            return failure.getErrorCode();
        }
        Throwable io = ioFailure(cause);
        if (io != null) {
            return io.getClass().getSimpleName();
        }
        return cause == null ? "unknown" : cause.getClass().getSimpleName();
    }

    public static String message(Throwable cause) {
        Throwable reason = SyncFailure.in(cause);
        if (reason == null) {
            reason = ioFailure(cause);
        }
        if (reason == null) {
            reason = cause;
        }
        if (reason == null) {
            return "No reason was recorded.";
        }
        return reason.getMessage() == null ? reason.getClass().getName() : reason.getMessage();
    }

    /** Moodle unreachable or too slow (connection refused, timeout), wherever Camel wrapped it. */
    private static Throwable ioFailure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return t;
            }
        }
        return null;
    }

    private static String toJson(Object params) {
        try {
            return JSON.writeValueAsString(params);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the parameters as JSON", e);
        }
    }
}
