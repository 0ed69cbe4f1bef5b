package org.apitmoodle.moodle;

import java.util.Map;

/** The record cannot be synced as it is: Moodle rejected it, or we saw the problem before sending. */
public class BadRecordException extends SyncFailure {

    private final Map<String, Object> moodleParams;

    public BadRecordException(String errorCode, String message) {
        this(errorCode, message, null);
    }

    private BadRecordException(String errorCode, String message, Map<String, Object> moodleParams) {
        super(errorCode, message);
        this.moodleParams = moodleParams;
    }

    /** The same failure, naming the Moodle parameters that would have been sent for the record. */
    public BadRecordException forRecord(Map<String, Object> params) {
        return new BadRecordException(getErrorCode(), getMessage(), params);
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
