package org.apitmoodle.moodle;

/**
 * Moodle's database refused the call (dmlwriteexception and the like). Ambiguous: Moodle's database may be
 * struggling, but a value too long for its column fails the same way. Retried a few times, then treated as bad data.
 */
public class MoodleDatabaseException extends BadRecordException {

    public MoodleDatabaseException(String errorCode, String message) {
        super(errorCode, message);
    }
}
