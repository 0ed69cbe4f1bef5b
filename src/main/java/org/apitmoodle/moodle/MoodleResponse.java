package org.apitmoodle.moodle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;

/**
 * Reads Moodle's answer to a web-service call. Moodle answers HTTP 200 even when a call fails, with
 * {@code {"exception","errorcode","message"}}: that is a failure, never a success. Each failure is classified
 * (see README, "Failures"), so the routes know whether to retry, dead-letter or stop.
 */
public final class MoodleResponse {

    /** The integration itself is refused: token, service, web services off, a missing capability. */
    private static final Set<String> CONFIGURATION_ERRORS = Set.of(
            "invalidtoken", "accessexception", "servicenotavailable", "enablewsdescription",
            "nopermissions", "requireloginerror", "servicerequireslogin", "usernotfullysetup");

    /** Moodle could not do it now. */
    private static final Set<String> TRANSIENT_ERRORS = Set.of("sitemaintenance", "dbconnectionfailed");

    /** Moodle's database refused: ambiguous (struggling, or a value too long), retried a bounded number of times. */
    private static final Set<String> DATABASE_ERRORS = Set.of(
            "dmlwriteexception", "dmlreadexception", "dmltransactionexception", "ddlexecuteerror");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The parsed answer of a successful call.
     *
     * @throws SyncFailure classified when the call failed
     */
    public JsonNode check(String body, Integer httpStatus) {
        if (httpStatus != null && (httpStatus >= 500 || httpStatus == 429 || httpStatus == 408)) {
            throw new MoodleUnavailableException("http" + httpStatus, "Moodle answered HTTP " + httpStatus);
        }
        if (httpStatus != null && httpStatus != 200) {
            throw new MoodleConfigurationException("http" + httpStatus, "Moodle answered HTTP " + httpStatus
                    + " at its web-service address: check that moodle.url is the site's URL");
        }
        String text = body == null ? "" : body.strip();
        if (text.isEmpty()) {
            throw new MoodleUnavailableException("emptyresponse", "Moodle sent an empty answer");
        }
        if (text.startsWith("<")) {
            throw new MoodleConfigurationException("notjson", "Moodle answered XML or HTML instead of JSON:"
                    + " check that moodle.url is the site's URL and its REST protocol is enabled");
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new MoodleUnavailableException("notjson", "Moodle's answer is not valid JSON");
        }
        // A PHP Error inside Moodle (transcript 231) answers an exception without an errorcode: still a failure.
        if (answer.isObject() && answer.has("exception") && (answer.has("errorcode") || answer.has("message"))) {
            throw failure(answer.path("exception").asText(), answer.path("errorcode").asText(
                    answer.path("exception").asText()), MoodleRefusal.message(answer));
        }
        return answer;
    }

    /** The classified failure for one of Moodle's error answers. */
    public static SyncFailure failure(String exception, String errorCode, String message) {
        if (CONFIGURATION_ERRORS.contains(errorCode) || "required_capability_exception".equals(exception)
                || "webservice_access_exception".equals(exception)) {
            return new MoodleConfigurationException(errorCode, message);
        }
        if (TRANSIENT_ERRORS.contains(errorCode)) {
            return new MoodleUnavailableException(errorCode, message);
        }
        if (DATABASE_ERRORS.contains(errorCode) || exception.startsWith("dml_")) {
            return new MoodleDatabaseException(errorCode, message);
        }
        // invalidparameter, shortnametaken, courseidnumbertaken, errorcatcontextnotvalid, wsusercannotassign,
        // codingerror, invalidrecord ...: something about the records sent.
        return new BadRecordException(errorCode, message);
    }
}
