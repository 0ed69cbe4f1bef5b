package org.apitmoodle.deadletter;

import java.util.function.Function;
import org.apitmoodle.Settings.InvalidSettingException;
import org.apitmoodle.SettingsReader;

/**
 * camel.server.enabled and dead-letters.username/password: who may work the dead-letter queue over HTTP. With the
 * HTTP server on, both are required, and the password must be at least 12 characters long.
 */
public record OperatorSettings(boolean httpEnabled, String username, String password, int loginFailuresBeforeDelay,
        long loginDelayMs, long loginMaximumDelayMs) {

    /** The shortest operator password start-up takes while the HTTP server is on. */
    public static final int MINIMUM_PASSWORD_LENGTH = 12;

    public static OperatorSettings read(Function<String, String> property) {
        return read(new SettingsReader(property));
    }

    public static OperatorSettings read(SettingsReader settings) {
        boolean enabled = settings.bool("camel.server.enabled");
        String username = settings.optional("dead-letters.username");
        String password = settings.optional("dead-letters.password");
        String off = ", or turn the HTTP server off (camel.server.enabled, " + SettingsReader.env("camel.server.enabled") + ").";
        if (enabled && username.isEmpty()) {
            throw new InvalidSettingException("dead-letters.username is missing (" + SettingsReader.env("dead-letters.username")
                    + "): set it to the name operators sign in with to work the dead-letter queue over HTTP" + off);
        }
        if (enabled && password.isEmpty()) {
            throw new InvalidSettingException("dead-letters.password is missing (" + SettingsReader.env("dead-letters.password")
                    + "): set it to the password operators sign in with to work the dead-letter queue over HTTP"
                    + off);
        }
        if (enabled && password.codePointCount(0, password.length()) < MINIMUM_PASSWORD_LENGTH) {
            throw new InvalidSettingException("dead-letters.password is shorter than " + MINIMUM_PASSWORD_LENGTH
                    + " characters (" + SettingsReader.env("dead-letters.password") + "): set a longer one, as anyone who reaches"
                    + " the operators' server may guess it" + off);
        }
        if (username.contains(":")) {
            throw new InvalidSettingException("dead-letters.username may not contain ':', as HTTP Basic separates the"
                    + " name from the password with it (" + SettingsReader.env("dead-letters.username") + ").");
        }
        int failures = settings.positiveInt("dead-letters.login-failures-before-delay",
                "failed sign-ins in a row before sign-ins are slowed down");
        long delay = settings.positiveNumber("dead-letters.login-delay-ms", "milliseconds of the first wait");
        long maximum = settings.positiveNumber("dead-letters.login-maximum-delay-ms", "the longest wait in milliseconds");
        if (maximum < delay) {
            throw settings.invalid("dead-letters.login-maximum-delay-ms", "must not be less than"
                    + " dead-letters.login-delay-ms (" + delay + "), but is '" + maximum + "'");
        }
        return new OperatorSettings(enabled, username, password, failures, delay, maximum);
    }

    @Override
    public String toString() {
        return "Operators[httpEnabled=" + httpEnabled + ", username=" + username + ", password=********]";
    }
}
