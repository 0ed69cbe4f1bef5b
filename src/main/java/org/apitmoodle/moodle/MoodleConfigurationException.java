package org.apitmoodle.moodle;

/** Moodle refused the integration itself (token, service, capability, category, role): no record can succeed. */
public class MoodleConfigurationException extends SyncFailure {

    public MoodleConfigurationException(String errorCode, String message) {
        super(errorCode, message);
    }

    @Override
    public FailureKind getKind() {
        return FailureKind.CONFIGURATION;
    }
}
