package org.apitmoodle.deadletter;

import java.util.ArrayList;
import java.util.List;

/**
 * The one sentence a group of dead-letter entries shares, and what each entry adds to it. The entries of one cause
 * carry the same sentence with their record's value in it ("The user's email address 'judy@example' is not one
 * Moodle accepts ... then replay."): the group shows the sentence once with "…" for the value, and each entry its
 * value. Entries whose messages share too little each keep their whole message.
 *
 * @param sentence the group's explanation, never empty
 * @param details  per entry, in order, what it adds to the sentence; null where it adds nothing
 */
public record GroupExplanation(String sentence, List<String> details) {

    /** Shared text shorter than this does not explain anything by itself. */
    static final int MIN_SHARED = 20;

    static final String GAP = "…";

    /** Where a value may begin after the shared text, and where the shared text may begin after a value. */
    private static final String OPENING = "'\"([{“‘";
    private static final String CLOSING = "'\")]},;:”’";

    /** The explanation of entries with these messages, of the error code given (named when nothing is shared). */
    public static GroupExplanation of(List<String> messages, String errorCode) {
        List<String> texts = messages.stream().map(message -> message == null ? "" : message).toList();
        if (texts.isEmpty() || texts.stream().distinct().count() == 1) {
            List<String> none = new ArrayList<>();
            texts.forEach(text -> none.add(null));
            String only = texts.isEmpty() || texts.get(0).isBlank() ? fallback(errorCode) : texts.get(0);
            return new GroupExplanation(only, none);
        }
        int shortest = texts.stream().mapToInt(String::length).min().orElse(0);
        int prefix = 0;
        while (prefix < shortest && sameAt(texts, prefix, false)) {
            prefix++;
        }
        // Never cut a value in two (judy@example.org, Moodle user id 42): the shared part ends at a space or quote.
        while (prefix > 0 && OPENING.indexOf(texts.get(0).charAt(prefix - 1)) < 0
                && !Character.isWhitespace(texts.get(0).charAt(prefix - 1))) {
            prefix--;
        }
        int suffix = 0;
        while (suffix < shortest - prefix && sameAt(texts, suffix, true)) {
            suffix++;
        }
        String first = texts.get(0);
        while (suffix > 0 && CLOSING.indexOf(first.charAt(first.length() - suffix)) < 0
                && !Character.isWhitespace(first.charAt(first.length() - suffix))) {
            suffix--;
        }
        if (prefix + suffix < MIN_SHARED) {
            return new GroupExplanation(fallback(errorCode), texts);
        }
        List<String> details = new ArrayList<>();
        for (String text : texts) {
            String detail = text.substring(prefix, text.length() - suffix).strip();
            details.add(detail.isEmpty() ? null : detail);
        }
        return new GroupExplanation(first.substring(0, prefix) + GAP + first.substring(first.length() - suffix), details);
    }

    /** Whether every text has the same character at this position, from the start or from the end. */
    private static boolean sameAt(List<String> texts, int position, boolean fromEnd) {
        String first = texts.get(0);
        char c = first.charAt(fromEnd ? first.length() - 1 - position : position);
        for (String text : texts) {
            if (text.charAt(fromEnd ? text.length() - 1 - position : position) != c) {
                return false;
            }
        }
        return true;
    }

    private static String fallback(String errorCode) {
        return "These entries failed with error code " + errorCode + "; each says why.";
    }
}
