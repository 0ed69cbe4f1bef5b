package org.apitmoodle.sync;

import org.apitmoodle.sync.operations.MoodleRules;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apitmoodle.moodle.BadRecordException;

/** Reading the rows the claim queries return (column name to value, as camel-sql gives them), for every operation. */
public final class Records {

    private Records() {
    }

    /**
     * The parameters of a Moodle call that takes a list of records under one name ({@code courses}, {@code users}):
     * each record, in order, as {@code moodleRecord} makes it (and checks it: its refusal stops the call here).
     */
    public static Map<String, Object> request(String parameter, List<Map<String, Object>> records,
            UnaryOperator<Map<String, Object>> moodleRecord) {
        return Map.of(parameter, records.stream().map(moodleRecord).toList());
    }

    public static long id(Map<String, Object> row, String column) {
        Object value = row.get(column);
        if (value instanceof Number number) {
            return number.longValue();
        }
        throw new IllegalArgumentException("The row has no " + column + ": " + row.keySet());
    }

    public static Long optionalLong(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value instanceof Number number ? number.longValue() : null;
    }

    /** The text of a column, stripped; null when missing or blank. */
    public static String text(Map<String, Object> row, String column) {
        Object value = row.get(column);
        if (value == null) {
            return null;
        }
        String text = value.toString().strip();
        return text.isEmpty() ? null : text;
    }

    public static String required(Map<String, Object> row, String column, String code, String sentence) {
        String text = text(row, column);
        if (text == null) {
            throw new BadRecordException(code, sentence);
        }
        return text;
    }

    /** Lengths in characters (code points), as Moodle's database counts them. */
    public static void maxLength(String value, int max, String code, String what) {
        if (value != null && MoodleRules.length(value) > max) {
            throw new BadRecordException(code, what + " is " + MoodleRules.length(value)
                    + " characters long; Moodle takes at most " + max + ". Shorten it in accessplanit, then replay.");
        }
    }

    /**
     * Refuses text that Moodle's PARAM_TEXT / PARAM_NOTAGS cleaning would change: Moodle refuses the whole call
     * for it. Sending the cleaned value instead would rename the course or person without anyone deciding it.
     */
    public static void noMarkup(String value, String code, String what) {
        String markup = MoodleRules.markup(value);
        if (markup != null) {
            throw new BadRecordException(code, what + " contains '" + markup + "', which Moodle takes for web-page"
                    + " markup and refuses. Remove the angle brackets (< and >) in accessplanit, then replay.");
        }
    }

    /** The records whose {@code idColumn} is not among the same column of {@code others}. */
    public static List<Map<String, Object>> without(List<Map<String, Object>> records, String idColumn,
            List<Map<String, Object>> others) {
        Set<Long> ids = others.stream().map(other -> id(other, idColumn)).collect(Collectors.toSet());
        return records.stream().filter(record -> !ids.contains(id(record, idColumn))).toList();
    }
}
