package org.apitmoodle.moodle;

/**
 * A failure of a record or a Moodle call, classified. Routes match on the subclasses:
 * {@link BadRecordException}, {@link MoodleUnavailableException}, {@link MoodleConfigurationException}.
 */
public abstract class SyncFailure extends RuntimeException {

    private final String errorCode;

    protected SyncFailure(String errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    /** Moodle's errorcode, or ours for a problem found before sending. */
    public String getErrorCode() {
        return errorCode;
    }

    public abstract FailureKind getKind();
}
