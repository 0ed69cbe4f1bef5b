package org.apitmoodle.moodle;

/** Moodle could not answer now (HTTP 5xx or 429, a struggling database): worth trying again later. */
public class MoodleUnavailableException extends SyncFailure {

    public MoodleUnavailableException(String errorCode, String message) {
        super(errorCode, message);
    }

    @Override
    public FailureKind getKind() {
        return FailureKind.TRANSIENT;
    }
}
