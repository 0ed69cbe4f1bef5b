package org.apitmoodle.moodle;

import java.net.URI;
import java.util.Locale;
import org.apitmoodle.Settings.InvalidSettingException;
import org.apitmoodle.Settings;
import org.apitmoodle.SettingsReader;
import org.apitmoodle.sync.Batches;
import org.apitmoodle.sync.operations.UserMapper;

/** moodle.*: the Moodle site and how accessplanit records become Moodle ones. */
public record MoodleSettings(String url, String token, long categoryId, long roleId, String shortnamePrefix,
        String idnumberPrefix, String usernamePrefix, String userAuth, String usernameFrom, long timeoutMs,
        int maxInputVars, boolean allowAccountsSameEmail, boolean extendedUsernameChars) {

    public static MoodleSettings read(SettingsReader settings) {
        String url = settings.optional("moodle.url");
        if (url.isEmpty()) {
            throw new InvalidSettingException("moodle.url is missing: set it to your Moodle site's address, like"
                    + " https://moodle.example.org (" + SettingsReader.env("moodle.url") + "), or run the demo to try the integration"
                    + " without a Moodle (" + Settings.DEMO_COMMAND + ").");
        }
        url = checkUrl(settings, url);
        boolean insecureAllowed = settings.bool("moodle.allow-insecure-http");
        if (url.startsWith("http:") && !insecureAllowed) {
            throw new InvalidSettingException("moodle.url is '" + url + "', plain HTTP would send the Moodle token in"
                    + " clear: use https://, or set moodle.allow-insecure-http=true ("
                    + SettingsReader.env("moodle.allow-insecure-http") + ") for a Moodle on a trusted network.");
        }
        String token = settings.optional("moodle.token");
        if (token.isEmpty()) {
            throw new InvalidSettingException("moodle.token is missing (" + SettingsReader.env("moodle.token") + "): set it to the"
                    + " web-service token Moodle made for the integration user (see README, \"Setting up Moodle\").");
        }
        String usernamePrefix = settings.optional("moodle.user.username-prefix");
        if (!UserMapper.isValidPrefix(usernamePrefix)) {
            throw settings.invalid("moodle.user.username-prefix", "may hold only letters, digits and _ . @ -"
                    + " (Moodle's rule for usernames), but is '" + usernamePrefix + "'");
        }
        // Empty takes the defaults, as accessplanit's own module makes its accounts.
        String userAuth = settings.optional("moodle.user.auth");
        userAuth = userAuth.isEmpty() ? "manual" : userAuth;
        String authProblem = UserMapper.authProblem(userAuth);
        if (authProblem != null) {
            throw settings.invalid("moodle.user.auth", authProblem + ", but is '" + userAuth + "'");
        }
        String usernameFrom = settings.optional("moodle.user.username-from");
        usernameFrom = usernameFrom.isEmpty() ? "id" : usernameFrom;
        if (!UserMapper.USERNAME_FROM.contains(usernameFrom)) {
            throw settings.invalid("moodle.user.username-from", "must be id (the prefix plus the accessplanit user"
                    + " ID) or email (the email in lower case), but is '" + usernameFrom + "'");
        }
        return new MoodleSettings(url, token,
                settings.positiveNumber("moodle.category-id", "the id in the category's edit URL in Moodle"),
                settings.positiveNumber("moodle.role-id", "the id in the role's edit URL in Moodle; 5 is student"),
                settings.optional("moodle.course.shortname-prefix"),
                settings.optional("moodle.course.idnumber-prefix"),
                usernamePrefix.toLowerCase(Locale.ROOT), userAuth, usernameFrom,
                settings.positiveNumber("moodle.timeout-ms", "milliseconds one Moodle call may take"),
                maxInputVars(settings), settings.bool("moodle.allow-accounts-same-email"),
                settings.bool("moodle.extended-username-chars"));
    }

    /** moodle.max-input-vars: PHP drops the form fields past it without a word, so every call must fit. */
    private static int maxInputVars(SettingsReader settings) {
        int max = settings.positiveInt("moodle.max-input-vars", "PHP's max_input_vars on the Moodle server");
        int least = MoodleForm.CALL_FIELDS + Batches.LARGEST_RECORD_FIELDS;
        if (max < least) {
            throw settings.invalid("moodle.max-input-vars", "must be at least " + least + " (the "
                    + MoodleForm.CALL_FIELDS + " form fields of every call and the " + Batches.LARGEST_RECORD_FIELDS
                    + " of one course), but is " + max);
        }
        return max;
    }

    private static String checkUrl(SettingsReader settings, String url) {
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        try {
            URI uri = URI.create(trimmed);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return trimmed;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw settings.invalid("moodle.url",
                "must be the Moodle site's address, like https://moodle.example.org, but is '" + url + "'");
    }
}
