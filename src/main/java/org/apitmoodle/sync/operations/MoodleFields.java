package org.apitmoodle.sync.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apitmoodle.moodle.BadRecordException;
import org.apitmoodle.moodle.MoodleCall;
import org.apitmoodle.sync.Records;
import org.apitmoodle.sync.SyncMapper;

/**
 * Fields as data: what Moodle gets for a user or a course is what the SQL selects. A column named after a
 * parameter of Moodle's create and update functions is sent as that parameter; {@code profile_field_<shortname>}
 * is a user's custom profile field and {@code customfield_<shortname>} a course's custom field. Columns whose names
 * end in {@code _id}, and {@code sent_fields}, are the pipeline's own: the record's id, Moodle ids, what it looks up,
 * and what Moodle was last sent.
 *
 * <p>Each value is checked by Moodle 4.1's own rule for its parameter (user/externallib.php and
 * course/externallib.php: the PARAM_ type, and the column's length in Moodle's database), so a value Moodle would
 * refuse, clean or silently drop is refused here with a sentence naming the column. Plain logic: no Camel, no
 * database.
 */
public final class MoodleFields {

    /** How Moodle takes one parameter: its PARAM_ type and its database column's length (0: no limit). */
    enum Type {
        /** PARAM_TEXT and PARAM_NOTAGS: strip_tags would change text with markup, and Moodle refuses it. */
        TEXT,
        /** PARAM_RAW: taken as it is. */
        RAW,
        /** PARAM_INT (and PARAM_BOOL as 0 or 1). */
        INT,
        /** PARAM_EMAIL: Moodle's validate_email(). */
        EMAIL,
        /** PARAM_ALPHA country: an ISO 3166 code in capitals; Moodle stores any other as no country, silently. */
        COUNTRY,
        /** PARAM_SAFEDIR: a language pack's name. */
        SAFEDIR,
        /** PARAM_PLUGIN: a plugin's name (course format, theme, calendar type). */
        PLUGIN,
        /** PARAM_TIMEZONE: a time zone name, or 99 for the server's. */
        TIMEZONE
    }

    record Rule(Type type, int maxLength) {
    }

    private static final Map<String, Rule> USER_PARAMETERS = rules(
            "firstname", Type.TEXT, 100, "lastname", Type.TEXT, 100, "email", Type.EMAIL, 100,
            "maildisplay", Type.INT, 0, "city", Type.TEXT, 120, "country", Type.COUNTRY, 2,
            "timezone", Type.TIMEZONE, 100, "description", Type.RAW, 0,
            "firstnamephonetic", Type.TEXT, 255, "lastnamephonetic", Type.TEXT, 255,
            "middlename", Type.TEXT, 255, "alternatename", Type.TEXT, 255, "interests", Type.TEXT, 0,
            "institution", Type.TEXT, 255, "department", Type.TEXT, 255, "phone1", Type.TEXT, 20,
            "phone2", Type.TEXT, 20, "address", Type.TEXT, 255, "lang", Type.SAFEDIR, 30,
            "calendartype", Type.PLUGIN, 30, "theme", Type.PLUGIN, 50, "mailformat", Type.INT, 0,
            "suspended", Type.INT, 0);

    private static final Map<String, Rule> COURSE_PARAMETERS = rules(
            "fullname", Type.TEXT, 254, "summary", Type.RAW, 0, "summaryformat", Type.INT, 0,
            "format", Type.PLUGIN, 21, "showgrades", Type.INT, 0, "newsitems", Type.INT, 0,
            "startdate", Type.INT, 0, "enddate", Type.INT, 0, "numsections", Type.INT, 0, "maxbytes", Type.INT, 0,
            "showreports", Type.INT, 0, "visible", Type.INT, 0, "hiddensections", Type.INT, 0,
            "groupmode", Type.INT, 0, "groupmodeforce", Type.INT, 0, "defaultgroupingid", Type.INT, 0,
            "enablecompletion", Type.INT, 0, "completionnotify", Type.INT, 0, "lang", Type.SAFEDIR, 30,
            "forcetheme", Type.PLUGIN, 50);

    /** Parameters the integration sets itself: a column may not set them, or adoption and look-ups would break. */
    private static final Set<String> USER_SET_BY_INTEGRATION =
            Set.of("id", "username", "auth", "password", "createpassword", "idnumber", "customfields", "preferences");
    private static final Set<String> COURSE_SET_BY_INTEGRATION =
            Set.of("id", "shortname", "categoryid", "idnumber", "customfields", "courseformatoptions");

    /** A custom field's short name as Moodle takes it (PARAM_ALPHANUMEXT). */
    private static final Pattern SHORTNAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern SAFEDIR = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern PLUGIN = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Set<String> TIME_ZONES = ZoneId.getAvailableZoneIds();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MoodleFields.class);

    /** The column holding what Moodle was last sent (update operations), as JSON of column to value. */
    public static final String SENT_FIELDS = "sent_fields";

    /**
     * The users' fields: core_user_create_users and core_user_update_users; read back by Moodle id with
     * core_user_get_users_by_field (an array of users).
     */
    public static final MoodleFields USERS = new MoodleFields("user", "core_user_create_users and"
            + " core_user_update_users", USER_PARAMETERS, USER_SET_BY_INTEGRATION, "profile_field_",
            ids -> new MoodleCall("core_user_get_users_by_field", Map.of("field", "id", "values", ids)),
            answer -> answer);
    /**
     * The courses' fields: core_course_create_courses and core_course_update_courses; read back by Moodle id with
     * core_course_get_courses_by_field (its ids, joined by commas; an object holding the courses).
     */
    public static final MoodleFields COURSES = new MoodleFields("course", "core_course_create_courses and"
            + " core_course_update_courses", COURSE_PARAMETERS, COURSE_SET_BY_INTEGRATION, "customfield_",
            ids -> new MoodleCall("core_course_get_courses_by_field", Map.of("field", "ids", "value",
                    ids.stream().map(String::valueOf).collect(Collectors.joining(",")))),
            answer -> answer.path("courses"));

    private final String entity;
    private final String functions;
    private final Map<String, Rule> parameters;
    private final Set<String> setByIntegration;
    private final String customPrefix;
    private final Function<List<Long>, MoodleCall> readBackCall;
    private final UnaryOperator<JsonNode> readBackRecords;

    private MoodleFields(String entity, String functions, Map<String, Rule> parameters, Set<String> setByIntegration,
            String customPrefix, Function<List<Long>, MoodleCall> readBackCall,
            UnaryOperator<JsonNode> readBackRecords) {
        this.entity = entity;
        this.functions = functions;
        this.parameters = parameters;
        this.setByIntegration = setByIntegration;
        this.customPrefix = customPrefix;
        this.readBackCall = readBackCall;
        this.readBackRecords = readBackRecords;
    }

    /**
     * The look-up of these users or courses by Moodle id that reads back what Moodle kept of the custom fields sent:
     * it drops a custom field it does not have, or a menu value outside the options, without a word. None when no
     * custom value was sent.
     */
    public List<MoodleCall> readBack(List<Long> moodleIds) {
        return moodleIds.isEmpty() ? List.of() : List.of(readBackCall.apply(moodleIds));
    }

    /** The customfields of each user or course the read-back's answer holds, by Moodle id. */
    public Map<Long, JsonNode> kept(JsonNode readBackAnswer) {
        Map<Long, JsonNode> kept = new java.util.HashMap<>();
        readBackRecords.apply(readBackAnswer).forEach(record -> kept.put(record.path("id").asLong(),
                record.path("customfields")));
        return kept;
    }

    /** Whether a column is the pipeline's own: the record's id, a Moodle id, a look-up, what was last sent. */
    public static boolean isPipelineColumn(String column) {
        return column.endsWith("_id") || column.equals(SENT_FIELDS);
    }

    /**
     * Why a column of an SQL file that feeds these fields can never be sent; null when it can. Checked once at
     * start-up for every column, so a typo stops the integration instead of being dropped without a word.
     */
    public String problem(String column) {
        if (column.startsWith(customPrefix)) {
            String shortname = column.substring(customPrefix.length());
            return SHORTNAME.matcher(shortname).matches() ? null : "is not a custom field's short name Moodle takes"
                    + " (letters, digits, _ and - after " + customPrefix + ")";
        }
        if (isPipelineColumn(column) || parameters.containsKey(column)) {
            return null;
        }
        if (setByIntegration.contains(column)) {
            return "is a parameter the integration sets itself (see the README's field mapping), so no column may set it";
        }
        return "is neither a parameter of " + functions + " nor one of the pipeline's columns (names ending in _id,"
                + " and " + SENT_FIELDS + "); a Moodle " + entity + " custom field is named " + customPrefix
                + "<shortname>";
    }

    /**
     * The Moodle fields of a claimed row, as the SQL selected them: every column that is not the pipeline's, with
     * a value (a null column is not sent). The same set the SQL function moodle_fields() notes as sent.
     */
    public Map<String, Object> of(Map<String, Object> row) {
        Map<String, Object> fields = new LinkedHashMap<>();
        row.forEach((column, value) -> {
            if (!isPipelineColumn(column) && value != null) {
                fields.put(column, value);
            }
        });
        return fields;
    }

    /**
     * Puts {@code fields} into the Moodle {@code entity} (a user or course of the call), each checked by Moodle's
     * rule: parameters by name, custom fields into {@code customfields}. A value Moodle would refuse or drop is
     * a {@link BadRecordException} naming the column.
     */
    public void put(Map<String, Object> fields, Map<String, Object> moodle) {
        List<Map<String, Object>> custom = new ArrayList<>();
        fields.forEach((column, value) -> {
            if (column.startsWith(customPrefix)) {
                String shortname = column.substring(customPrefix.length());
                String text = value == null ? "" : value.toString();
                if (text.indexOf('\0') >= 0) {
                    throw refused(column, value, "holds a null character, which Moodle cannot store");
                }
                Map<String, Object> field = new LinkedHashMap<>();
                // A user's profile field is named by "type", a course's custom field by "shortname".
                field.put(customPrefix.equals("profile_field_") ? "type" : "shortname", shortname);
                field.put("value", text);
                custom.add(field);
            } else if (!isPipelineColumn(column)) {
                moodle.put(column, checked(column, value));
            }
        });
        if (!custom.isEmpty()) {
            moodle.put("customfields", custom);
        }
    }

    /**
     * The fields that differ from what Moodle was last sent ({@code sent}, JSON of column to value): changed,
     * added, or cleared (a column now empty that was sent a value is sent empty, so Moodle clears it too).
     */
    public Map<String, Object> changed(Map<String, Object> fields, JsonNode sent) {
        Map<String, Object> changed = new LinkedHashMap<>();
        fields.forEach((column, value) -> {
            JsonNode before = sent == null ? null : sent.get(column);
            if (before == null || before.isNull() || !before.asText().equals(JSON.valueToTree(value).asText())) {
                changed.put(column, value);
            }
        });
        if (sent != null) {
            sent.fieldNames().forEachRemaining(column -> {
                if (!fields.containsKey(column) && !isPipelineColumn(column)) {
                    Rule rule = parameters.get(column);
                    // A number Moodle needs cannot be cleared: it keeps what it has.
                    if (column.startsWith(customPrefix) || (rule != null && rule.type() != Type.INT)) {
                        changed.put(column, "");
                    }
                }
            });
        }
        return changed;
    }

    /** Whether any of {@code fields} is a custom field with a value: only those can Moodle drop without a word. */
    public boolean hasCustomValues(Map<String, Object> fields) {
        return fields.entrySet().stream().anyMatch(field -> field.getKey().startsWith(customPrefix)
                && field.getValue() != null && !field.getValue().toString().isEmpty());
    }

    /**
     * The custom fields of {@code sent} that Moodle did not keep, read back from {@code stored} (the customfields of
     * Moodle's user or course). Moodle says nothing when it drops a custom field it does not have, or a menu value
     * outside the menu's options: it stores nothing, or the field's default.
     */
    public Map<String, Object> dropped(Map<String, Object> sent, JsonNode stored) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (JsonNode field : stored) {
            // A course's custom field holds its value as entered in valueraw; a user's profile field in value.
            JsonNode value = field.has("valueraw") ? field.get("valueraw") : field.path("value");
            kept.put(field.path("shortname").asText(), value.isNull() ? "" : value.asText(""));
        }
        Map<String, Object> dropped = new LinkedHashMap<>();
        sent.forEach((column, value) -> {
            if (column.startsWith(customPrefix) && value != null && !value.toString().isEmpty()) {
                String now = kept.getOrDefault(column.substring(customPrefix.length()), "");
                // Moodle returns a text field's & as &amp;: the same value.
                if (!now.equals(value.toString()) && !now.replace("&amp;", "&").equals(value.toString())) {
                    dropped.put(column, value);
                }
            }
        });
        return dropped;
    }

    /**
     * Records just made ({@code rows}: their write-back rows in the same order, with moodle_id): each notes as
     * sent only what Moodle kept of its fields ({@code stored}: customfields by Moodle id), so the update sends a
     * dropped value again; a warning names what was dropped.
     */
    public void noteKept(List<Map<String, Object>> records, List<Map<String, Object>> rows,
            java.util.function.Function<Map<String, Object>, Map<String, Object>> fieldsOf, Map<Long, JsonNode> stored,
            String idColumn) {
        for (int i = 0; i < records.size(); i++) {
            Map<String, Object> fields = fieldsOf.apply(records.get(i));
            Map<String, Object> dropped = dropped(fields, stored.getOrDefault(Records.id(rows.get(i), "moodle_id"),
                    com.fasterxml.jackson.databind.node.MissingNode.getInstance()));
            if (!dropped.isEmpty()) {
                fields.keySet().removeAll(dropped.keySet());
                rows.get(i).put(SENT_FIELDS, json(fields));
                LOG.warn("The {} {} was made in Moodle, but {}", entity, Records.id(records.get(i), idColumn),
                        droppedFailure(dropped).getMessage());
            }
        }
    }

    /**
     * Records just updated: the changed custom fields ({@code changedOf}) Moodle did not keep ({@code stored}:
     * customfields by Moodle id), by the record's accessplanit id.
     */
    public Map<Long, Map<String, Object>> droppedByRecord(List<Map<String, Object>> records, String idColumn,
            java.util.function.Function<Map<String, Object>, Map<String, Object>> changedOf, Map<Long, JsonNode> stored) {
        Map<Long, Map<String, Object>> dropped = new java.util.HashMap<>();
        for (Map<String, Object> record : records) {
            JsonNode customfields = stored.get(Records.id(record, "moodle_id"));
            if (customfields != null) {
                Map<String, Object> columns = dropped(changedOf.apply(record), customfields);
                if (!columns.isEmpty()) {
                    dropped.put(Records.id(record, idColumn), columns);
                }
            }
        }
        return dropped;
    }

    /** {@code refused}, and a refusal for each other record whose values Moodle did not keep, naming the columns. */
    public List<SyncMapper.Refusal> withDropped(List<SyncMapper.Refusal> refused, List<Map<String, Object>> records,
            String idColumn, Map<Long, Map<String, Object>> dropped) {
        List<SyncMapper.Refusal> all = new ArrayList<>(refused);
        for (Map<String, Object> record : records) {
            Map<String, Object> columns = dropped.get(Records.id(record, idColumn));
            if (columns != null && all.stream().noneMatch(refusal -> refusal.record() == record)) {
                all.add(new SyncMapper.Refusal(record, droppedFailure(columns)));
            }
        }
        return all;
    }

    /** The failure of a record some of whose values Moodle did not keep, naming the columns. */
    public BadRecordException droppedFailure(Map<String, Object> dropped) {
        StringBuilder columns = new StringBuilder();
        dropped.forEach((column, value) -> columns.append(columns.isEmpty() ? "" : ", ").append(column)
                .append(" '").append(value).append("'"));
        return new BadRecordException("customfielddropped", "Moodle did not keep the " + entity + "'s " + columns
                + ": Moodle has no " + entity + " custom field of that short name, or the value is not one of the"
                + " field's menu options, and it drops such a value without a word. Add the field in Moodle, or"
                + " correct the value in accessplanit (or the SQL that selects the column), then replay.");
    }

    /** {@code fields} as the JSON noted in sent_fields. */
    public static String json(Map<String, Object> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** sent_fields of a claimed row, read; null when nothing was noted. */
    public static JsonNode sent(Map<String, Object> row) {
        Object sent = row.get(SENT_FIELDS);
        if (sent == null) {
            return null;
        }
        try {
            return JSON.readTree(sent.toString());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("sent_fields is not JSON: " + sent, e);
        }
    }

    /** One value, checked by its parameter's rule, in the form Moodle takes. */
    Object checked(String column, Object value) {
        Rule rule = parameters.get(column);
        if (rule == null) {
            throw new IllegalArgumentException(column + " " + problem(column));
        }
        if (rule.type() == Type.INT) {
            if (value instanceof Boolean flag) {
                return flag ? 1 : 0;
            }
            if (value instanceof Number number && number.doubleValue() == number.longValue()) {
                return number.longValue();
            }
            String text = value.toString().strip();
            if (text.matches("-?[0-9]+")) {
                return Long.parseLong(text);
            }
            throw refused(column, value, "is not a whole number, which Moodle needs here");
        }
        // Moodle keeps text as given; the integration has always sent names and codes without surrounding spaces.
        String text = rule.type() == Type.RAW ? value.toString() : value.toString().strip();
        if (rule.maxLength() > 0 && MoodleRules.length(text) > rule.maxLength()) {
            throw refused(column, shortened(text), "is " + MoodleRules.length(text) + " characters long; Moodle takes"
                    + " at most " + rule.maxLength() + ". Shorten it in accessplanit");
        }
        switch (rule.type()) {
            case TEXT -> {
                String markup = MoodleRules.markup(text);
                if (markup != null) {
                    throw refused(column, shortened(text), "contains '" + markup + "', which Moodle takes for web-page"
                            + " markup and refuses. Remove the angle brackets (< and >) in accessplanit");
                }
            }
            case EMAIL -> {
                if (!MoodleRules.isValidEmail(text)) {
                    throw refused(column, text, "is not an email address Moodle accepts");
                }
            }
            case COUNTRY -> {
                if (!COUNTRIES.contains(text)) {
                    throw refused(column, text, "is not a country code Moodle knows: Moodle takes ISO 3166 codes in"
                            + " capitals, such as GB or IE, and stores any other value as no country, without a word");
                }
            }
            case SAFEDIR -> {
                if (!SAFEDIR.matcher(text).matches()) {
                    throw refused(column, text, "is not a language code Moodle takes (letters, digits, _ and -),"
                            + " such as en or en_us");
                }
            }
            case PLUGIN -> {
                if (!PLUGIN.matcher(text).matches()) {
                    throw refused(column, text, "is not the name of a Moodle plugin (lower-case letters, digits and"
                            + " _), such as topics or weeks");
                }
            }
            case TIMEZONE -> {
                if (!text.equals("99") && !TIME_ZONES.contains(text)) {
                    throw refused(column, text, "is not a time zone Moodle knows, such as Europe/London (or 99 for"
                            + " the server's)");
                }
            }
            default -> {
                if (text.indexOf('\0') >= 0) {
                    throw refused(column, value, "holds a null character, which Moodle cannot store");
                }
            }
        }
        return text;
    }

    private BadRecordException refused(String column, Object value, String why) {
        return new BadRecordException("invalid" + column.replace("_", ""), "The " + entity + "'s " + column + " '"
                + value + "' " + why + ". Correct it in accessplanit (or the SQL that selects the column " + column
                + "), then replay.");
    }

    private static String shortened(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    private static Map<String, Rule> rules(Object... nameTypeLength) {
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (int i = 0; i < nameTypeLength.length; i += 3) {
            rules.put((String) nameTypeLength[i], new Rule((Type) nameTypeLength[i + 1], (Integer) nameTypeLength[i + 2]));
        }
        return Map.copyOf(rules);
    }
}
