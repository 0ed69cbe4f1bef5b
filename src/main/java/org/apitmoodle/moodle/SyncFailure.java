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

    /**
     * The classified failure behind {@code cause}, which Camel may have wrapped (a failed split step is reported as
     * a CamelExchangeException); null when there is none.
     */
    public static SyncFailure in(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SyncFailure failure) {
                return failure;
            }
        }
        return null;
    }
}
