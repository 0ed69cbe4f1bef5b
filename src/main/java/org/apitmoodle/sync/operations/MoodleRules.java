package org.apitmoodle.sync.operations;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Moodle 4.1's own rules for the values it is sent, ported so a record Moodle would refuse is refused here first,
 * with a sentence, instead of failing its whole batch in Moodle.
 */
public final class MoodleRules {

    /**
     * PHP's FILTER_VALIDATE_EMAIL (ext/filter/logical_filters.c, regexp0, flags /iD), which Moodle's validate_email()
     * reaches through PHPMailer::validateAddress. It runs on bytes: see {@link #isValidEmail(String)}.
     */
    private static final Pattern PHP_VALIDATE_EMAIL = Pattern.compile(
            "^(?!(?:(?:\\x22?\\x5C[\\x00-\\x7E]\\x22?)|(?:\\x22?[^\\x5C\\x22]\\x22?)){255,})"
            + "(?!(?:(?:\\x22?\\x5C[\\x00-\\x7E]\\x22?)|(?:\\x22?[^\\x5C\\x22]\\x22?)){65,}@)"
            + "(?:(?:[\\x21\\x23-\\x27\\x2A\\x2B\\x2D\\x2F-\\x39\\x3D\\x3F\\x5E-\\x7E]+)"
            + "|(?:\\x22(?:[\\x01-\\x08\\x0B\\x0C\\x0E-\\x1F\\x21\\x23-\\x5B\\x5D-\\x7F]|(?:\\x5C[\\x00-\\x7F]))*\\x22))"
            + "(?:\\.(?:(?:[\\x21\\x23-\\x27\\x2A\\x2B\\x2D\\x2F-\\x39\\x3D\\x3F\\x5E-\\x7E]+)"
            + "|(?:\\x22(?:[\\x01-\\x08\\x0B\\x0C\\x0E-\\x1F\\x21\\x23-\\x5B\\x5D-\\x7F]|(?:\\x5C[\\x00-\\x7F]))*\\x22)))*"
            + "@(?:(?:(?!.*[^.]{64,})(?:(?:(?:xn--)?[a-z0-9]+(?:-+[a-z0-9]+)*\\.){1,126}){1,}"
            + "(?:(?:[a-z][a-z0-9]*)|(?:(?:xn--)[a-z0-9]+))(?:-+[a-z0-9]+)*)"
            + "|(?:\\[(?:(?:IPv6:(?:(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){7})"
            + "|(?:(?!(?:.*[a-f0-9][:\\]]){7,})(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,5})?::"
            + "(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,5})?)))"
            + "|(?:(?:IPv6:(?:(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){5}:)"
            + "|(?:(?!(?:.*[a-f0-9]:){5,})(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,3})?::"
            + "(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,3}:)?)))?"
            + "(?:(?:25[0-5])|(?:2[0-4][0-9])|(?:1[0-9]{2})|(?:[1-9]?[0-9]))"
            + "(?:\\.(?:(?:25[0-5])|(?:2[0-4][0-9])|(?:1[0-9]{2})|(?:[1-9]?[0-9]))){3}))\\]))\\z",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    /** PHP's FILTER_VALIDATE_EMAIL refuses anything longer, in bytes. */
    private static final int PHP_EMAIL_MAX_BYTES = 320;

    /** What PHP's strip_tags() removes: a '<' not followed by white space, up to the next '>' or the end. */
    private static final Pattern TAG = Pattern.compile("<(?![ \\t\\n\\x0B\\f\\r])[^>]*>?", Pattern.DOTALL);

    private MoodleRules() {
    }

    /**
     * Moodle 4.1's validate_email(): PHPMailer::validateAddress (PHP's filter_var FILTER_VALIDATE_EMAIL, no line
     * breaks) and no angle brackets. So no non-ASCII letters (transcript 199), no IDN domain unless in punycode
     * (203, 205), a local part of at most 64 characters (195), a top-level domain that starts with a letter (193).
     */
    public static boolean isValidEmail(String address) {
        if (address == null || address.isEmpty() || address.indexOf('\n') >= 0 || address.indexOf('\r') >= 0
                || address.indexOf('<') >= 0 || address.indexOf('>') >= 0) {
            return false;
        }
        byte[] utf8 = address.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > PHP_EMAIL_MAX_BYTES) {
            return false;
        }
        // PCRE without /u matches bytes: one Latin-1 char per UTF-8 byte makes Java match the same way.
        return PHP_VALIDATE_EMAIL.matcher(new String(utf8, StandardCharsets.ISO_8859_1)).matches();
    }

    /** Characters as Moodle's database counts them (code points: an emoji is one, not two UTF-16 units). */
    public static int length(String value) {
        return value.codePointCount(0, value.length());
    }

    /**
     * The first piece of text that Moodle's PARAM_TEXT or PARAM_NOTAGS cleaning (strip_tags) would remove, such as
     * {@code <Level 2>}; null when the cleaning leaves the value as it is. Moodle refuses a value its cleaning
     * changes (transcripts 171, 181, 215).
     */
    public static String markup(String value) {
        if (value == null) {
            return null;
        }
        if (value.indexOf('\0') >= 0) {
            return "\\0";
        }
        Matcher tag = TAG.matcher(value);
        return tag.find() ? tag.group() : null;
    }
}
