package org.apitmoodle.emulator;

/**
 * A failure as Moodle reports it: the PHP exception class, the error code and the message. {@code debuginfo} is what
 * a site with debugging on would add; the emulator plays a production site, so it is logged, never answered.
 */
final class MoodleException extends RuntimeException {

    private final String exception;
    private final String errorcode;
    private final String debuginfo;

    MoodleException(String exception, String errorcode, String message, String debuginfo) {
        super(message);
        this.exception = exception;
        this.errorcode = errorcode;
        this.debuginfo = debuginfo;
    }

    String exception() {
        return exception;
    }

    String errorcode() {
        return errorcode;
    }

    String debuginfo() {
        return debuginfo;
    }

    /** A moodle_exception whose message is a language string. */
    static MoodleException moodle(String errorcode, String message) {
        return new MoodleException("moodle_exception", errorcode, message, null);
    }

    static MoodleException invalidParameter(String debuginfo) {
        return new MoodleException("invalid_parameter_exception", "invalidparameter",
                "Invalid parameter value detected", debuginfo);
    }

    static MoodleException invalidToken() {
        return moodle("invalidtoken", "Invalid token - token not found");
    }

    static MoodleException accessException(String debuginfo) {
        return new MoodleException("webservice_access_exception", "accessexception", "Access control exception",
                debuginfo);
    }

    static MoodleException requireLogin() {
        return new MoodleException("require_login_exception", "requireloginerror",
                "Course or activity not accessible.", null);
    }

    static MoodleException noPermissions(String capabilityName) {
        return new MoodleException("required_capability_exception", "nopermissions",
                "Sorry, but you do not currently have permissions to do that (" + capabilityName + ").", null);
    }

    /** MUST_EXIST on a missing row. */
    static MoodleException missingRecord(String table) {
        return new MoodleException("dml_missing_record_exception", "invalidrecord",
                "Can't find data record in database table " + table + ".", null);
    }

    static MoodleException invalidUser() {
        return new MoodleException("dml_missing_record_exception", "invaliduser", "Invalid user", null);
    }

    static MoodleException codingError(String hint, String debuginfo) {
        return new MoodleException("coding_exception", "codingerror",
                "Coding error detected, it must be fixed by a programmer: " + hint, debuginfo);
    }

    /** What PostgreSQL's refusal of a value too long for its varchar column becomes in Moodle. */
    static MoodleException dmlWrite(String debuginfo) {
        return new MoodleException("dml_write_exception", "dmlwriteexception", "Error writing to database", debuginfo);
    }

    /** moodle_exception('errorinvalidparam', 'webservice', '', $param). */
    static MoodleException errorInvalidParam(String param) {
        return moodle("errorinvalidparam", "The param \"" + param + "\" is invalid.");
    }
}
