package org.apitmoodle.deadletter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apitmoodle.sync.Operation;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What operators ask of the dead-letter queue over HTTP, checked and turned into the parameters of its SQL
 * (src/main/resources/sql/dead-letter-queue), and the rows that SQL returns turned into answers.
 */
public final class DeadLetterQueue {

    static final Set<String> ENTITY_TYPES = Set.copyOf(Operation.keys());
    static final Set<String> STATES = Set.of("OPEN", "REPLAYED", "DISCARDED");
    /** Longer reasons are refused rather than cut: an operator's note should be read whole. */
    static final int MAX_REASON_LENGTH = 2000;

    /** The exchange property that keeps a request's checked parameters while the body holds SQL results. */
    public static final String REQUEST = "deadLetterRequest";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterQueue.class);
    /** At most this many entry ids in the log line of a group replayed or discarded. */
    static final int LOGGED_IDS = 50;

    /**
     * What an entry's entity_id is, by the operation's id column, as the list SQL joins the accessplanit tables:
     * the entity types whose ids are users, courses, bookings (delegates) or the integration's enrolments.
     */
    private static final Map<String, String> TYPES_BY_RECORD = Map.of(
            "user_types", typesWithIdColumn("user_id"),
            "course_types", typesWithIdColumn("course_id"),
            "booking_types", typesWithIdColumn("delegate_id"),
            "enrolment_types", typesWithIdColumn("enrolment_id"));

    /** Entries to list: of one entity type and error code when given, in one state (OPEN unless asked). */
    public Map<String, Object> filter(@Header("entityType") String entityType, @Header("errorCode") String errorCode,
            @Header("state") String state) {
        String wantedState = blankToNull(state) == null ? "OPEN" : state.strip().toUpperCase(Locale.ROOT);
        if (!STATES.contains(wantedState)) {
            throw DeadLetterRequestException.badRequest("state must be OPEN, REPLAYED or DISCARDED, not '" + state + "'.");
        }
        Map<String, Object> filter = new HashMap<>();
        filter.put("entity_type", entityType(entityType));
        filter.put("error_code", blankToNull(errorCode));
        filter.put("state", wantedState);
        filter.put("through", null);
        filter.putAll(TYPES_BY_RECORD);
        return filter;
    }

    /** Open entries of one entity type and error code when given: what the page shows and replay-all replays. */
    public Map<String, Object> openFilter(@Header("entityType") String entityType, @Header("errorCode") String errorCode) {
        return filter(entityType, errorCode, "OPEN");
    }

    /**
     * A group of open entries an operator acts on at once: one cause, the entity type and error code both required
     * (a slip cannot reach every entry), up to the newest entry the operator saw ({@code through}, optional), and
     * who asked, for the log line.
     */
    public Map<String, Object> group(@Header("entityType") String entityType, @Header("errorCode") String errorCode,
            @Header("through") String through, @Header("Authorization") String authorization) {
        String type = entityType(entityType);
        String code = blankToNull(errorCode);
        if (type == null || code == null) {
            throw DeadLetterRequestException.badRequest("Name the group: entityType and errorCode are both required.");
        }
        if (code.chars().anyMatch(Character::isISOControl)) {
            throw DeadLetterRequestException.badRequest("errorCode may not hold control characters.");
        }
        Map<String, Object> group = new HashMap<>();
        group.put("entity_type", type);
        group.put("error_code", code);
        group.put("through", through(through));
        group.put("operator", OperatorCredentials.name(authorization));
        return group;
    }

    /** A group to discard and the operator's reason, which is required. */
    public Map<String, Object> discardGroup(@Header("entityType") String entityType, @Header("errorCode") String errorCode,
            @Header("through") String through, @Header("Authorization") String authorization,
            @Header("reason") String reason) {
        Map<String, Object> group = group(entityType, errorCode, through, authorization);
        group.put("reason", reason(reason));
        return group;
    }

    /** The outcome of replaying a group, logged with who asked and how many entries it replayed. */
    public Map<String, Object> groupReplayed(List<Map<String, Object>> rows,
            @ExchangeProperty(REQUEST) Map<String, Object> group) {
        logGroup("replayed", rows, group);
        return replayed(rows);
    }

    /** The outcome of discarding a group, logged with who asked, how many entries it discarded and why. */
    public Map<String, Object> groupDiscarded(List<Map<String, Object>> rows,
            @ExchangeProperty(REQUEST) Map<String, Object> group) {
        logGroup("discarded", rows, group);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("discarded", rows.size());
        answer.put("entries", entries(rows));
        return answer;
    }

    private static void logGroup(String done, List<Map<String, Object>> rows, Map<String, Object> group) {
        // A group may be thousands of entries: the line names the first ones, the count says how many.
        String ids = rows.stream().limit(LOGGED_IDS).map(row -> String.valueOf(row.get("id")))
                .collect(Collectors.joining(", ", "[", rows.size() > LOGGED_IDS ? ", ...]" : "]"));
        // The reason is free text: it goes in the logging context (a JSON line quotes it), not in the line itself.
        Object reason = group.get("reason");
        try (MDC.MDCCloseable a = MDC.putCloseable("operator", String.valueOf(group.get("operator")));
                MDC.MDCCloseable b = MDC.putCloseable("entityType", String.valueOf(group.get("entity_type")));
                MDC.MDCCloseable c = MDC.putCloseable("errorCode", String.valueOf(group.get("error_code")));
                MDC.MDCCloseable d = MDC.putCloseable("count", Integer.toString(rows.size()));
                MDC.MDCCloseable e = MDC.putCloseable("reason", reason == null ? null : reason.toString())) {
            LOG.info("Operator {} {} {} dead-letter entries of {} {}: ids {}", group.get("operator"), done, rows.size(),
                    group.get("entity_type"), group.get("error_code"), ids);
        }
    }

    /** The entry an operator named in the path; an id that is not a number names no entry. */
    public Map<String, Object> entryId(@Header("id") String id) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("id", id(id));
        return parameters;
    }

    /** An entry to discard and the operator's reason, which is required. */
    public Map<String, Object> discard(@Header("id") String id, @Header("reason") String reason) {
        Map<String, Object> parameters = entryId(id);
        parameters.put("reason", reason(reason));
        return parameters;
    }

    private static String reason(String reason) {
        String why = blankToNull(reason);
        if (why == null) {
            throw DeadLetterRequestException.badRequest("Say why the entry is discarded: the reason is required.");
        }
        if (why.length() > MAX_REASON_LENGTH) {
            throw DeadLetterRequestException.badRequest("The reason may be at most " + MAX_REASON_LENGTH + " characters.");
        }
        return why;
    }

    /** Dead-letter rows as the HTTP answer shows them. */
    public List<Map<String, Object>> entries(List<Map<String, Object>> rows) {
        return rows.stream().map(DeadLetterQueue::entry).toList();
    }

    /** The one entry of a lookup or a change, or 404 when there is none. */
    public Map<String, Object> single(List<Map<String, Object>> rows,
            @ExchangeProperty(REQUEST) Map<String, Object> request) {
        if (rows.isEmpty()) {
            throw DeadLetterRequestException.notFound(request.get("id"));
        }
        return entry(rows.get(0));
    }

    /** The outcome of a replay of several entries: how many, and which. */
    public Map<String, Object> replayed(List<Map<String, Object>> rows) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("replayed", rows.size());
        answer.put("entries", entries(rows));
        return answer;
    }

    /** Why a replay or discard of one entry changed nothing: it does not exist (404), or it is not OPEN (409). */
    public void unchanged(List<Map<String, Object>> rows, @ExchangeProperty(REQUEST) Map<String, Object> request) {
        if (rows.isEmpty()) {
            throw DeadLetterRequestException.notFound(request.get("id"));
        }
        throw DeadLetterRequestException.notOpen(request.get("id"), rows.get(0).get("state"));
    }

    /** The answer to a refused request: its status and a sentence. */
    public Map<String, Object> problem(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", cause instanceof DeadLetterRequestException refused ? refused.getStatus() : 500);
        answer.put("message", cause == null ? "The request failed." : cause.getMessage());
        return answer;
    }

    static Map<String, Object> entry(Map<String, Object> row) {
        Map<String, Object> entry = new LinkedHashMap<>();
        put(entry, "id", row, "id");
        put(entry, "entityType", row, "entity_type");
        put(entry, "entityId", row, "entity_id");
        put(entry, "moodleFunction", row, "moodle_function");
        if (row.containsKey("moodle_params")) {
            entry.put("moodleParams", json(row.get("moodle_params")));
        }
        put(entry, "errorClass", row, "error_class");
        put(entry, "errorCode", row, "error_code");
        put(entry, "errorMessage", row, "error_message");
        put(entry, "attempts", row, "attempts");
        put(entry, "firstFailedAt", row, "first_failed_at");
        put(entry, "lastFailedAt", row, "last_failed_at");
        put(entry, "state", row, "state");
        put(entry, "discardReason", row, "discard_reason");
        // The record as a person knows it, from the accessplanit tables (null when its row is gone).
        put(entry, "userForenames", row, "user_forenames");
        put(entry, "userSurname", row, "user_surname");
        put(entry, "userEmail", row, "user_email");
        put(entry, "courseLabel", row, "course_label");
        put(entry, "courseStartAt", row, "course_start_at");
        put(entry, "groupSize", row, "group_size");
        put(entry, "groupLastId", row, "group_last_id");
        return entry;
    }

    private static String typesWithIdColumn(String idColumn) {
        return java.util.Arrays.stream(Operation.values()).filter(operation -> operation.idColumn().equals(idColumn))
                .map(Operation::key).collect(Collectors.joining(","));
    }

    private static void put(Map<String, Object> entry, String name, Map<String, Object> row, String column) {
        if (row.containsKey(column)) {
            Object value = row.get(column);
            entry.put(name, value instanceof Timestamp time ? time.toInstant().toString()
                    : value instanceof OffsetDateTime time ? time.toInstant().toString() : value);
        }
    }

    private static Object json(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return JSON.readTree(value.toString());
        } catch (JsonProcessingException e) {
            return value.toString();
        }
    }

    private static String entityType(String entityType) {
        String type = blankToNull(entityType);
        if (type == null) {
            return null;
        }
        type = type.toLowerCase(Locale.ROOT);
        if (!ENTITY_TYPES.contains(type)) {
            throw DeadLetterRequestException.badRequest("entityType must be " + Operation.keysInWords() + ", not '"
                    + entityType + "'.");
        }
        return type;
    }

    private static long id(String id) {
        try {
            return Long.parseLong(id == null ? "" : id.strip());
        } catch (NumberFormatException e) {
            throw DeadLetterRequestException.notFound(id);
        }
    }

    /** The newest entry id the operator saw, or null for no bound. */
    private static Long through(String through) {
        try {
            return blankToNull(through) == null ? null : Long.valueOf(through.strip());
        } catch (NumberFormatException e) {
            throw DeadLetterRequestException.badRequest("through must be an entry id, not '" + through + "'.");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
