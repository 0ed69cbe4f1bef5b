package org.apitmoodle.moodle;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words kept from one of Moodle's error answers: its message, the field it is about when that can be known,
 * and its debuginfo when Moodle sends it (only with debugging on; transcripts 127-144 and the NNN-debug-* ones).
 */
public final class MoodleRefusal {

    /** "users => Invalid parameter value detected: lastname => Invalid ...": the innermost name is the field. */
    private static final Pattern NESTED_FIELD = Pattern.compile("(\\w+) => (?!.*\\w+ => )", Pattern.DOTALL);
    private static final Pattern MISSING_KEY = Pattern.compile("Missing required key in single structure: (\\w+)");
    /** Moodle's own checks in core_user_create_users, e.g. "Email address is invalid: a@exa_mple.com". */
    private static final Pattern USER_CHECK = Pattern.compile("^(Email address|Username) ");
    /** A database refusal's debuginfo holds the whole SQL and its values: the log line keeps its start. */
    private static final int DEBUGINFO_MAX = 1000;

    private MoodleRefusal() {
    }

    /** The sentence stored and logged for Moodle's error answer {@code answer}. */
    public static String message(JsonNode answer) {
        return message(answer.path("message").asText(), answer.path("debuginfo").asText(null));
    }

    /** {@code message}, the field when it can be known, then {@code debuginfo} (null when Moodle sent none). */
    public static String message(String message, String debuginfo) {
        if (debuginfo == null || debuginfo.isBlank()) {
            return message;
        }
        String field = field(debuginfo);
        String detail = debuginfo.strip();
        if (detail.length() > DEBUGINFO_MAX) {
            detail = detail.substring(0, DEBUGINFO_MAX) + "...";
        }
        return message + (field == null ? "" : " (field " + field + ")") + ": " + detail;
    }

    /** The Moodle field a debuginfo names, or null. */
    static String field(String debuginfo) {
        Matcher missing = MISSING_KEY.matcher(debuginfo);
        if (missing.find()) {
            return missing.group(1);
        }
        Matcher nested = NESTED_FIELD.matcher(debuginfo);
        if (nested.find()) {
            return nested.group(1);
        }
        Matcher userCheck = USER_CHECK.matcher(debuginfo);
        if (userCheck.find()) {
            return userCheck.group(1).equals("Username") ? "username" : "email";
        }
        return null;
    }
}
