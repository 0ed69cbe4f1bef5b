package org.apitmoodle.emulator;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Moodle's PARAM_* types as clean_param() cleans them. A web-service parameter is valid only when cleaning leaves it
 * unchanged (validate_param), so {@code "Apit.Upper"} is rejected as a username rather than lowered.
 */
enum Param {
    INT("int"),
    BOOL("bool"),
    RAW("raw"),
    RAW_TRIMMED("raw_trimmed"),
    /** PARAM_TEXT keeps multilang tags; the emulator, like PARAM_NOTAGS, refuses any tag. */
    TEXT("text"),
    NOTAGS("notags"),
    ALPHA("alpha"),
    ALPHANUMEXT("alphanumext"),
    SAFEDIR("safedir"),
    PLUGIN("plugin"),
    USERNAME("username"),
    AUTH("auth"),
    LANG("lang"),
    THEME("theme"),
    TIMEZONE("timezone");

    /** Auth plugins shipped with Moodle 4.1; PARAM_AUTH accepts any installed one. */
    static final Set<String> INSTALLED_AUTH_PLUGINS = Set.of("cas", "db", "email", "ldap", "lti", "manual", "mnet",
            "nologin", "none", "oauth2", "shibboleth", "webservice");
    static final Set<String> INSTALLED_LANGUAGES = Set.of("en");
    static final Set<String> INSTALLED_THEMES = Set.of("boost", "classic");

    private static final Pattern PHP_INT_PREFIX = Pattern.compile("^\\s*([+-]?\\d+)");
    /** strip_tags() removes a '<' that is followed by anything but white space, up to the next '>'. */
    private static final Pattern TAG = Pattern.compile("<[^\\s<>][^>]*>?");

    /** The name Moodle uses in "the server was expecting "int" type". */
    final String moodleName;

    Param(String moodleName) {
        this.moodleName = moodleName;
    }

    String clean(String value) {
        return switch (this) {
            case INT -> Long.toString(phpInt(value));
            case BOOL -> cleanBool(value);
            case RAW -> value;
            case RAW_TRIMMED -> value.trim();
            case TEXT, NOTAGS -> TAG.matcher(value).replaceAll("");
            case ALPHA -> value.replaceAll("[^a-zA-Z]", "");
            case ALPHANUMEXT, SAFEDIR -> value.replaceAll("[^a-zA-Z0-9_-]", "");
            case PLUGIN -> value.matches("[a-z](?:[a-z0-9_](?!__))*[a-z0-9]+") ? value : "";
            case USERNAME -> value.trim().toLowerCase(Locale.ROOT).replace(" ", "").replaceAll("[^-.@_a-z0-9]", "");
            case AUTH -> installedOrEmpty(SAFEDIR.clean(value), INSTALLED_AUTH_PLUGINS);
            case LANG -> installedOrEmpty(SAFEDIR.clean(value), INSTALLED_LANGUAGES);
            case THEME -> installedOrEmpty(PLUGIN.clean(value), INSTALLED_THEMES);
            case TIMEZONE -> value.trim().replaceAll("[^a-zA-Z0-9/_.+:-]", "");
        };
    }

    /** PHP's (int) cast: the leading integer, 0 when there is none, clamped to the 64-bit range. */
    static long phpInt(String value) {
        Matcher m = PHP_INT_PREFIX.matcher(value);
        if (!m.find()) {
            return 0;
        }
        try {
            return Long.parseLong(m.group(1));
        } catch (NumberFormatException tooBig) {
            return m.group(1).startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static String cleanBool(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (Set.of("on", "yes", "true").contains(v)) {
            return "1";
        }
        if (Set.of("off", "no", "false").contains(v)) {
            return "0";
        }
        return v.isEmpty() || v.equals("0") ? "0" : "1";
    }

    private static String installedOrEmpty(String name, Set<String> installed) {
        return installed.contains(name) ? name : "";
    }
}
