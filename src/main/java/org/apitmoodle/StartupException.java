package org.apitmoodle;

import org.apache.camel.PropertyBindingException;

/**
 * Start-up cannot go on, for a reason an operator can fix (a setting, the database): the message is one sentence
 * that says what to fix, and it is all Application prints, without a stack trace.
 */
public class StartupException extends RuntimeException {

    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The one sentence an operator is told when start-up failed this way, or null when the failure is not one they
     * can fix by a setting (a bug: its stack trace is what helps then).
     */
    public static String sentence(Throwable failure) {
        StartupException startup = in(failure);
        if (startup != null) {
            return startup.getMessage();
        }
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            // One of Camel's own settings (camel.main.*, camel.server.* ...) Camel could not use.
            if (cause instanceof PropertyBindingException binding && binding.getOptionKey() != null) {
                String name = binding.getOptionPrefix() == null ? binding.getOptionKey()
                        : binding.getOptionPrefix() + binding.getOptionKey();
                return name + " has a value Camel cannot use, '" + binding.getValue() + "' (environment variable "
                        + Settings.environmentVariable(name) + ").";
            }
        }
        return null;
    }

    /** The start-up failure among a failure and its causes, or null when it has none. */
    public static StartupException in(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof StartupException startup) {
                return startup;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }
}
