package org.apitmoodle.emulator;

import java.util.regex.Pattern;

/** The checks of lib/moodlelib.php the web-service functions rely on. */
final class MoodleLib {

    /**
     * PHP's FILTER_VALIDATE_EMAIL pattern (ext/filter, after Michael Rushton), which PHPMailer and so Moodle's
     * validate_email() use: a dot-atom or quoted local part of at most 64 characters, then a domain with at least
     * one dot and a top-level label starting with a letter, or an address literal.
     */
    private static final Pattern FILTER_VALIDATE_EMAIL = Pattern.compile(
            "^(?!(?:(?:\\x22?\\x5C[\\x00-\\x7E]\\x22?)|(?:\\x22?[^\\x5C\\x22]\\x22?)){255,})"
            + "(?!(?:(?:\\x22?\\x5C[\\x00-\\x7E]\\x22?)|(?:\\x22?[^\\x5C\\x22]\\x22?)){65,}@)"
            + "(?:(?:[\\x21\\x23-\\x27\\x2A\\x2B\\x2D\\x2F-\\x39\\x3D\\x3F\\x5E-\\x7E]+)"
            + "|(?:\\x22(?:[\\x01-\\x08\\x0B\\x0C\\x0E-\\x1F\\x21\\x23-\\x5B\\x5D-\\x7F]|(?:\\x5C[\\x00-\\x7F]))*\\x22))"
            + "(?:\\.(?:(?:[\\x21\\x23-\\x27\\x2A\\x2B\\x2D\\x2F-\\x39\\x3D\\x3F\\x5E-\\x7E]+)"
            + "|(?:\\x22(?:[\\x01-\\x08\\x0B\\x0C\\x0E-\\x1F\\x21\\x23-\\x5B\\x5D-\\x7F]|(?:\\x5C[\\x00-\\x7F]))*\\x22)))*"
            + "@(?:(?:(?!.*[^.]{64,})(?:(?:(?:xn--)?[a-z0-9]+(?:-+[a-z0-9]+)*\\.){1,126}){1,}"
            + "(?:(?:[a-z][a-z0-9]*)|(?:(?:xn--)[a-z0-9]+))(?:-+[a-z0-9]+)*)"
            + "|(?:\\[(?:(?:IPv6:(?:(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){7})"
            + "|(?:(?!(?:.*[a-f0-9][:\\]]){7,})(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,5})?::(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,5})?)))"
            + "|(?:(?:IPv6:(?:(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){5}:)"
            + "|(?:(?!(?:.*[a-f0-9]:){5,})(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,3})?::(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,3}:)?)))?"
            + "(?:(?:25[0-5])|(?:2[0-4][0-9])|(?:1[0-9]{2})|(?:[1-9]?[0-9]))"
            + "(?:\\.(?:(?:25[0-5])|(?:2[0-4][0-9])|(?:1[0-9]{2})|(?:[1-9]?[0-9]))){3}))\\]))\\z",
            Pattern.CASE_INSENSITIVE);

    /** The default password policy of a new site. */
    static final int PASSWORD_MIN_LENGTH = 8;
    static final int PASSWORD_MIN_DIGITS = 1;
    static final int PASSWORD_MIN_LOWER = 1;
    static final int PASSWORD_MIN_UPPER = 1;
    static final int PASSWORD_MIN_NONALPHANUM = 1;

    private static final Pattern BARE_AMPERSAND = Pattern.compile("&(?!(?:#\\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);)");

    private MoodleLib() {
    }

    /** replace_ampersands_not_followed_by_entity(), as format_string() and format_text() apply it. */
    static String escapeAmpersands(String text) {
        return BARE_AMPERSAND.matcher(text).replaceAll("&amp;");
    }

    /** validate_email(): PHPMailer's check (PHP's filter) plus Moodle's refusal of angle brackets. */
    static boolean validateEmail(String address) {
        if (address == null || address.isEmpty() || address.length() > 320
                || address.contains("\n") || address.contains("\r")) {
            return false;
        }
        return FILTER_VALIDATE_EMAIL.matcher(address).matches() && !address.contains("<") && !address.contains(">");
    }

    /**
     * check_password_policy(): "" when the password complies, otherwise one {@code <div>} per broken rule, which
     * user_create_user() throws as the error code of a moodle_exception.
     */
    static String checkPasswordPolicy(String password) {
        StringBuilder errors = new StringBuilder();
        if (password.codePointCount(0, password.length()) < PASSWORD_MIN_LENGTH) {
            errors.append(div("Passwords must be at least " + PASSWORD_MIN_LENGTH + " characters long."));
        }
        if (count(password, Character::isDigit) < PASSWORD_MIN_DIGITS) {
            errors.append(div("Passwords must have at least " + PASSWORD_MIN_DIGITS + " digit(s)."));
        }
        if (count(password, Character::isLowerCase) < PASSWORD_MIN_LOWER) {
            errors.append(div("Passwords must have at least " + PASSWORD_MIN_LOWER + " lower case letter(s)."));
        }
        if (count(password, Character::isUpperCase) < PASSWORD_MIN_UPPER) {
            errors.append(div("Passwords must have at least " + PASSWORD_MIN_UPPER + " upper case letter(s)."));
        }
        if (count(password, c -> !Character.isLetterOrDigit(c)) < PASSWORD_MIN_NONALPHANUM) {
            errors.append(div("The password must have at least " + PASSWORD_MIN_NONALPHANUM
                    + " special character(s) such as *, -, or #."));
        }
        return errors.toString();
    }

    private static long count(String s, java.util.function.IntPredicate test) {
        return s.codePoints().filter(test).count();
    }

    private static String div(String text) {
        return "<div>" + text + "</div>";
    }
}
