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

    /**
     * Moodle refuses the integration's account or token itself, or is closed for everyone: no call can succeed,
     * whatever is sent. Sending pauses at once (transcripts 260-271).
     */
    private static final Set<String> ACCOUNT_REFUSALS = Set.of(
            "invalidtoken", "servicenotavailable", "enablewsdescription", "servicerequireslogin", "usernotfullysetup",
            "wsaccessusersuspended", "wsaccessuserexpired", "wsaccessuserdeleted", "wsaccessusernologin",
            "forcepasswordchangenotice", "sitemaintenance");

    /**
     * Refusals that may be about the whole integration (a capability or function missing from the service) or
     * about one call only (one course the account cannot reach, one optional function): the probe decides.
     */
    private static final Set<String> CALL_REFUSALS = Set.of("accessexception", "nopermissions", "requireloginerror");

    /** A setting that names something Moodle does not have or does not allow: one pause naming the setting. */
    private static final java.util.Map<String, String> SETTING_ERRORS = java.util.Map.of(
            "errorcatcontextnotvalid", "moodle.category-id",
            "wsusercannotassign", "moodle.role-id");

    /** Moodle could not do it now. */
    private static final Set<String> TRANSIENT_ERRORS = Set.of("dbconnectionfailed");

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
            // E.g. 413 from a proxy for one large record (transcript 279), or 404 for a wrong moodle.url: the
            // probe tells the two apart.
            throw new MoodleConfigurationException("http" + httpStatus, "Moodle answered HTTP " + httpStatus
                    + " at its web-service address" + (httpStatus == 413 ? " (the request is too large)"
                    : ": check that moodle.url is the site's URL"), false);
        }
        String text = body == null ? "" : body.strip();
        if (text.isEmpty()) {
            throw new MoodleUnavailableException("emptyresponse", "Moodle sent an empty answer");
        }
        if (text.startsWith("<")) {
            // Also PHP's post_max_size: the body is dropped and Moodle answers invalidtoken in XML (transcript 272).
            throw new MoodleConfigurationException("notjson", "Moodle answered XML or HTML instead of JSON"
                    + xmlErrorCode(text) + ": the request may be larger than the site's post_max_size, or moodle.url"
                    + " is not the site's URL or its REST protocol is off", false);
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
        if (ACCOUNT_REFUSALS.contains(errorCode)) {
            return new MoodleConfigurationException(errorCode, message, true);
        }
        if (SETTING_ERRORS.containsKey(errorCode)) {
            String setting = SETTING_ERRORS.get(errorCode);
            return new MoodleConfigurationException(errorCode, message, true, setting);
        }
        if (CALL_REFUSALS.contains(errorCode) || "required_capability_exception".equals(exception)
                || "require_login_exception".equals(exception) || "webservice_access_exception".equals(exception)) {
            return new MoodleConfigurationException(errorCode, message, false);
        }
        if ("invalidrecord".equals(errorCode)) {
            // dml_missing_record_exception: a record that no longer exists (a deleted course), not a struggling
            // database; retrying cannot help.
            return new BadRecordException(errorCode, message);
        }
        if (TRANSIENT_ERRORS.contains(errorCode)) {
            return new MoodleUnavailableException(errorCode, message);
        }
        if (DATABASE_ERRORS.contains(errorCode) || exception.startsWith("dml_")) {
            return new MoodleDatabaseException(errorCode, message);
        }
        // invalidparameter, shortnametaken, courseidnumbertaken, codingerror, invalidrecord ...: something about the
        // records sent.
        return new BadRecordException(errorCode, message);
    }

    /** " (invalidtoken)" for Moodle's XML exception, else nothing. */
    private static String xmlErrorCode(String text) {
        int from = text.indexOf("<ERRORCODE>");
        int to = text.indexOf("</ERRORCODE>");
        return from >= 0 && to > from ? " (" + text.substring(from + "<ERRORCODE>".length(), to) + ")" : "";
    }
}
