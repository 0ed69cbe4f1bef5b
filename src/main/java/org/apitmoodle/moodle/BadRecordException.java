package org.apitmoodle.moodle;

import java.util.Map;

/** The record cannot be synced as it is: Moodle rejected it, or we saw the problem before sending. */
public class BadRecordException extends SyncFailure {

    private final Map<String, Object> record;
    private final Map<String, Object> moodleParams;

    public BadRecordException(String errorCode, String message) {
        this(errorCode, message, null, null);
    }

    private BadRecordException(String errorCode, String message, Map<String, Object> record,
            Map<String, Object> moodleParams) {
        super(errorCode, message);
        this.record = record;
        this.moodleParams = moodleParams;
    }

    /**
     * The same failure, naming the record it is about (as claimed from accessplanit) and the Moodle parameters
     * that would have been sent for it (null when none could be made).
     */
    public BadRecordException forRecord(Map<String, Object> claimed, Map<String, Object> params) {
        return new BadRecordException(getErrorCode(), getMessage(), claimed, params);
    }

    /**
     * The record of the batch this failure is about, when we know it (our own checks, a look-up); null when
     * Moodle refused the batch as a whole.
     */
    public Map<String, Object> getRecord() {
        return record;
    }

    /** What would have been sent for the record when we found the problem before sending; null otherwise. */
    public Map<String, Object> getMoodleParams() {
        return moodleParams;
    }

    @Override
    public FailureKind getKind() {
        return FailureKind.BAD_DATA;
    }
}
