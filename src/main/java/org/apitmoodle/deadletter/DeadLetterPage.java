package org.apitmoodle.deadletter;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apitmoodle.sync.Operation;

/**
 * The operators' page: the open dead-letter entries grouped by cause (operation and error code), each group with
 * its explanation once and buttons acting on the whole group, each entry naming its record as people know it. The
 * HTML is the template templates/dead-letter-queue.mustache, which escapes every value it is given: error messages
 * and names carry what users typed. This class only shapes the values.
 */
public final class DeadLetterPage {

    /** The header the page's route keeps the causes of all open entries in (causes.sql), for the filters. */
    public static final String CAUSES = "deadLetterCauses";

    static final String TEMPLATE = "templates/dead-letter-queue.mustache";

    private final CrossSiteGuard guard;
    private final ReadableTimes times;
    private final Mustache template;

    public DeadLetterPage(CrossSiteGuard guard, ReadableTimes times) {
        this.guard = guard;
        this.times = times;
        // Compiled once; a compiled template is safe to run from several requests at once.
        this.template = new DefaultMustacheFactory().compile(TEMPLATE);
    }

    /**
     * The page for open entries as {@link DeadLetterQueue#entries} shapes them, under the filter they were listed
     * with ({@link DeadLetterQueue#openFilter}), with every open cause for the filters.
     */
    public String render(@Body List<Map<String, Object>> entries,
            @ExchangeProperty(DeadLetterQueue.REQUEST) Map<String, Object> filter,
            @Header(CAUSES) List<Map<String, Object>> causes) {
        String entityType = filter == null ? null : (String) filter.get("entity_type");
        String errorCode = filter == null ? null : (String) filter.get("error_code");
        List<Group> groups = groups(entries);
        Page page = new Page(guard.token(), DeadLetterQueue.MAX_REASON_LENGTH, entityType != null || errorCode != null,
                groups.isEmpty(), groups, operationOptions(causes, entityType), causeOptions(causes, errorCode),
                entries.size());
        StringWriter html = new StringWriter();
        template.execute(html, page);
        return html.toString();
    }

    private List<Group> groups(List<Map<String, Object>> entries) {
        Map<List<Object>, List<Map<String, Object>>> byCause = new LinkedHashMap<>();
        for (Map<String, Object> entry : entries) {
            byCause.computeIfAbsent(List.of(String.valueOf(entry.get("entityType")), String.valueOf(entry.get("errorCode"))),
                    cause -> new ArrayList<>()).add(entry);
        }
        List<Group> groups = new ArrayList<>();
        byCause.forEach((cause, members) -> {
            String entityType = (String) cause.get(0);
            String errorCode = (String) cause.get(1);
            GroupExplanation explanation = GroupExplanation.of(
                    members.stream().map(entry -> (String) entry.get("errorMessage")).toList(), errorCode);
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < members.size(); i++) {
                rows.add(row(members.get(i), explanation.details().get(i)));
            }
            Map<String, Object> first = members.get(0);
            long size = first.get("groupSize") instanceof Number n ? n.longValue() : members.size();
            Object through = first.get("groupLastId") != null ? first.get("groupLastId")
                    : members.get(members.size() - 1).get("id");
            String query = "entityType=" + URLEncoder.encode(entityType, StandardCharsets.UTF_8)
                    + "&errorCode=" + URLEncoder.encode(errorCode, StandardCharsets.UTF_8);
            groups.add(new Group(entityType, errorCode, size, members.size() < size, members.size(), through, query,
                    explanation.sentence(), rows));
        });
        return groups;
    }

    private Row row(Map<String, Object> entry, String detail) {
        String entityType = String.valueOf(entry.get("entityType"));
        String idColumn = idColumn(entityType);
        String person = join(" ", (String) entry.get("userForenames"), (String) entry.get("userSurname"));
        String email = (String) entry.get("userEmail");
        String courseLabel = (String) entry.get("courseLabel");
        String courseStart = times.date(instant(entry.get("courseStartAt")));
        String course = courseLabel == null ? null : join(", ", courseLabel, courseStart.isEmpty() ? null : courseStart);
        boolean isPerson = "user_id".equals(idColumn);
        boolean isCourse = "course_id".equals(idColumn);
        // A user is its name and email; a course its label and date; a booking its learner and course.
        String name = isCourse ? null : person;
        String mail = isCourse ? null : email;
        String on = isPerson ? null : course;
        boolean gone = name == null && mail == null && on == null;
        Instant first = instant(entry.get("firstFailedAt"));
        Instant last = instant(entry.get("lastFailedAt"));
        return new Row(entry.get("id"), entityType + " " + entry.get("entityId"), name, mail, on,
                !isPerson && !isCourse && on != null, gone, detail, entry.get("attempts"),
                times.ago(first), times.exact(first), times.ago(last), times.exact(last));
    }

    private static List<Option> operationOptions(List<Map<String, Object>> causes, String selected) {
        Map<String, Long> counts = new TreeMap<>();
        if (causes != null) {
            causes.forEach(cause -> counts.merge(String.valueOf(cause.get("entity_type")), count(cause), Long::sum));
        }
        List<Option> options = new ArrayList<>();
        for (String key : Operation.keys()) {
            if (counts.containsKey(key) || key.equals(selected)) {
                options.add(new Option(key, key + " (" + counts.getOrDefault(key, 0L) + ")", key.equals(selected)));
            }
        }
        return options;
    }

    private static List<Option> causeOptions(List<Map<String, Object>> causes, String selected) {
        Map<String, Long> counts = new TreeMap<>();
        if (causes != null) {
            causes.forEach(cause -> counts.merge(String.valueOf(cause.get("error_code")), count(cause), Long::sum));
        }
        if (selected != null) {
            counts.putIfAbsent(selected, 0L);
        }
        List<Option> options = new ArrayList<>();
        counts.forEach((code, count) -> options.add(new Option(code, code + " (" + count + ")", code.equals(selected))));
        return options;
    }

    private static long count(Map<String, Object> cause) {
        return cause.get("entries") instanceof Number n ? n.longValue() : 0;
    }

    private static String idColumn(String entityType) {
        try {
            return Operation.of(entityType).idColumn();
        } catch (IllegalArgumentException e) {
            return null;   // an entry of an operation this version no longer has: shown by its number only
        }
    }

    private static Instant instant(Object value) {
        try {
            return value == null ? null : Instant.parse(value.toString());
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static String join(String separator, String... parts) {
        List<String> present = java.util.Arrays.stream(parts).filter(Objects::nonNull).map(String::strip)
                .filter(part -> !part.isEmpty()).toList();
        return present.isEmpty() ? null : String.join(separator, present);
    }

    /** What the template shows; public so that the template engine can read it. */
    public record Page(String token, int maxReasonLength, boolean filtered, boolean empty, List<Group> groups,
            List<Option> operations, List<Option> causes, int shown) {
    }

    /** One cause: its entries, how many there are in all (past the list limit too) and the newest one's id. */
    public record Group(String entityType, String errorCode, long count, boolean truncated, int shown, Object through,
            String query, String explanation, List<Row> rows) {

        /** "Replay these 3", "Replay this 1". */
        public String these() {
            return count == 1 ? "this" : "these";
        }

        public String entriesWord() {
            return count == 1 ? "entry" : "entries";
        }
    }

    /** One entry: its record by name (whichever of person, email and course apply) and by number. */
    public record Row(Object id, String ref, String name, String email, String course, boolean booking, boolean gone,
            String detail, Object attempts, String firstAgo, String firstExact, String lastAgo, String lastExact) {
    }

    /** One choice of a filter. */
    public record Option(String value, String label, boolean selected) {
    }
}
