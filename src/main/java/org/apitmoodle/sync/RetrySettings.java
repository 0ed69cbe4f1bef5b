package org.apitmoodle.sync;

import org.apitmoodle.SettingsReader;

/** retry.*: redeliveries of Moodle calls that failed for a passing reason. */
public record RetrySettings(int maximumRedeliveries, long initialDelayMs, double multiplier, long maximumDelayMs,
        int databaseErrorRedeliveries) {

    public static RetrySettings read(SettingsReader settings) {
        int redeliveries = settings.wholeNumber("retry.maximum-redeliveries", "redeliveries after the first attempt");
        long initial = settings.positiveNumber("retry.initial-delay-ms", "milliseconds before the first redelivery");
        String multiplierText = settings.required("retry.multiplier");
        double multiplier;
        try {
            multiplier = Double.parseDouble(multiplierText);
        } catch (NumberFormatException e) {
            multiplier = Double.NaN;
        }
        if (!(multiplier >= 1 && multiplier <= 100)) {
            throw settings.invalid("retry.multiplier", "must be a number from 1 to 100 (each delay is the last one"
                    + " times it), but is '" + multiplierText + "'");
        }
        long maximum = settings.positiveNumber("retry.maximum-delay-ms", "the longest delay in milliseconds");
        if (maximum < initial) {
            throw settings.invalid("retry.maximum-delay-ms", "must not be less than retry.initial-delay-ms ("
                    + initial + "), but is '" + maximum + "'");
        }
        return new RetrySettings(redeliveries, initial, multiplier, maximum, settings.wholeNumber(
                "retry.database-error-redeliveries", "redeliveries of a call Moodle's database refused"));
    }
}
