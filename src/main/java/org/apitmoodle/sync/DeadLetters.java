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

    /** The column of each entity's claim rows that holds its accessplanit id. */
    private static final Map<String, String> ID_COLUMN = Map.of(
            "course", "course_id", "user", "user_id", "enrolment", "delegate_id",
            "grades", "delegate_id", "course-dates", "course_id");

    private static final ObjectMapper JSON = new ObjectMapper();

    public List<Map<String, Object>> entries(
            @ExchangeProperty("entityType") String entityType,
            @ExchangeProperty("batch") List<Map<String, Object>> batch,
            @ExchangeProperty("moodleFunction") String moodleFunction,
            @ExchangeProperty("moodleRequest") Map<String, Object> moodleRequest,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable caught) {
        Throwable cause = syncFailureIn(caught);
        String idColumn = ID_COLUMN.get(entityType);
        if (idColumn == null) {
            throw new IllegalArgumentException("Unknown entity type " + entityType);
        }
        List<?> sent = sentRecords(moodleRequest);
        List<Map<String, Object>> entries = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Object params = cause instanceof BadRecordException bad && bad.getMoodleParams() != null
                    ? bad.getMoodleParams()
                    : sent != null && i < sent.size() ? sent.get(i) : null;
            Map<String, Object> entry = new HashMap<>();
            entry.put("entity_type", entityType);
            entry.put("entity_id", Records.id(batch.get(i), idColumn));
            entry.put("moodle_function", moodleFunction);
            entry.put("moodle_params", toJson(params));
            entry.put("error_class", errorClass(cause));
            entry.put("error_code", errorCode(cause));
            entry.put("error_message", message(cause));
            entries.add(entry);
        }
        return entries;
    }

    /** The per-record list of a request ({@code courses}, {@code users}, {@code enrolments}), in batch order. */
    private static List<?> sentRecords(Map<String, Object> moodleRequest) {
        if (moodleRequest == null) {
            return null;
        }
        return moodleRequest.values().stream()
                .filter(List.class::isInstance).map(List.class::cast).findFirst().orElse(null);
    }

    /**
     * The classified failure Camel may have wrapped (a Moodle answer checked in a {@code method} expression
     * arrives as a RuntimeBeanExpressionException around it); the caught exception itself when there is none.
     */
    static Throwable syncFailureIn(Throwable caught) {
        for (Throwable cause = caught; cause != null; cause = cause.getCause()) {
            if (cause instanceof SyncFailure) {
                return cause;
            }
        }
        return caught;
    }

    static String errorClass(Throwable cause) {
        if (cause instanceof SyncFailure failure) {
            return failure.getKind().label();
        }
        return cause instanceof IOException ? "transient" : "unexpected";
    }

    static String errorCode(Throwable cause) {
        if (cause instanceof SyncFailure failure) {
            return failure.getErrorCode();
        }
        return cause == null ? "unknown" : cause.getClass().getSimpleName();
    }

    static String message(Throwable cause) {
        if (cause == null) {
            return "No reason was recorded.";
        }
        return cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
    }

    private static String toJson(Object params) {
        try {
            return JSON.writeValueAsString(params);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the parameters as JSON", e);
        }
    }
}
