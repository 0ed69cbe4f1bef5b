package org.apitmoodle;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one setting at a time; every complaint names the setting and its environment variable. */
public record SettingsReader(Function<String, String> property) {

    private static final Pattern LISTEN_ADDRESS = Pattern.compile("[A-Za-z0-9.:%_-]+|\\[[0-9A-Fa-f.:%a-z]+]");

    /** PostgreSQL interval units this accepts (months and years are not fixed lengths). */
    private static final Pattern INTERVAL_PART = Pattern.compile(
            "\\s*(\\d+)\\s*(microseconds?|us|milliseconds?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h"
                    + "|days?|d|weeks?|w)\\s*", Pattern.CASE_INSENSITIVE);

    public String optional(String name) {
        String value = property.apply(name);
        return value == null ? "" : value.strip();
    }

    public String required(String name) {
        String value = optional(name);
        if (value.isEmpty()) {
            throw new Settings.InvalidSettingException(name + " is missing (" + env(name) + ").");
        }
        return value;
    }

    public Settings.InvalidSettingException invalid(String name, String problem) {
        return new Settings.InvalidSettingException(name + " " + problem + " (" + env(name) + ").");
    }

    public long positiveNumber(String name, String meaning) {
        return number(name, 1, Long.MAX_VALUE, "a positive whole number (" + meaning + ")");
    }

    public int positiveInt(String name, String meaning) {
        return (int) number(name, 1, Integer.MAX_VALUE, "a positive whole number (" + meaning + ")");
    }

    public int wholeNumber(String name, String meaning) {
        return (int) number(name, 0, Integer.MAX_VALUE, "a whole number, 0 or more (" + meaning + ")");
    }

    public int port(String name) {
        return (int) number(name, 1, 65535, "a port number from 1 to 65535");
    }

    private long number(String name, long least, long most, String what) {
        String value = required(name);
        try {
            long number = Long.parseLong(value);
            if (number >= least && number <= most) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(name, "must be " + what + ", but is '" + value + "'");
    }

    /** An address to listen on: an IP address (0.0.0.0 for every one) or a host name, nothing more. */
    public String address(String name) {
        String value = required(name);
        if (!LISTEN_ADDRESS.matcher(value).matches()) {
            throw invalid(name, "must be an IP address to listen on (127.0.0.1 for this machine only, 0.0.0.0 for"
                    + " every address) or a host name, but is '" + value + "'");
        }
        return value;
    }

    public boolean bool(String name) {
        String value = required(name);
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw invalid(name, "must be true or false, but is '" + value + "'");
    }

    /** A PostgreSQL interval such as "10 minutes" or "1 hour 30 minutes", longer than nothing. */
    public Duration interval(String name) {
        String value = required(name);
        Matcher part = INTERVAL_PART.matcher(value);
        Duration total = Duration.ZERO;
        int end = 0;
        while (part.lookingAt()) {
            total = total.plus(unit(part.group(2)).multipliedBy(Long.parseLong(part.group(1))));
            end = part.end();
            part.region(end, value.length());
        }
        if (end == value.length() && total.compareTo(Duration.ZERO) > 0) {
            return total;
        }
        throw invalid(name, "must be a PostgreSQL interval of a number and a unit, like 10 minutes or"
                + " 1 hour 30 minutes, but is '" + value + "'");
    }

    /** The environment variable a setting is read from, as complaints name it. */
    public static String env(String setting) {
        return "environment variable " + Settings.environmentVariable(setting);
    }

    private static Duration unit(String unit) {
        String u = unit.toLowerCase(Locale.ROOT);
        if (u.startsWith("mic") || u.equals("us")) {
            return Duration.ofNanos(1000);
        } else if (u.startsWith("mil") || u.equals("ms")) {
            return Duration.ofMillis(1);
        } else if (u.startsWith("s")) {
            return Duration.ofSeconds(1);
        } else if (u.startsWith("m")) {
            return Duration.ofMinutes(1);
        } else if (u.startsWith("h")) {
            return Duration.ofHours(1);
        } else if (u.startsWith("d")) {
            return Duration.ofDays(1);
        }
        return Duration.ofDays(7);
    }
}
