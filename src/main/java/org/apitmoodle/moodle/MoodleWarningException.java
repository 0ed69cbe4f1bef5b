package org.apitmoodle.moodle;

/**
 * Moodle took the call but warned about one record of it ({@code {"warnings":[{"item","itemid","warningcode",
 * "message"}]}} in a successful answer, as core_course_update_courses reports a course it could not update): a
 * failure of that record. Classified like the same errorcode as an exception, but never retried: the call was
 * made, and the other records in it succeeded.
 */
public class MoodleWarningException extends SyncFailure {

    private final FailureKind kind;

    public MoodleWarningException(String warningCode, String message) {
        super(warningCode, message);
        this.kind = MoodleResponse.failure("moodle_exception", warningCode, message).getKind();
    }

    @Override
    public FailureKind getKind() {
        return kind;
    }
}
