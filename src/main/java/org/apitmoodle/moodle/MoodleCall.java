package org.apitmoodle.moodle;

import java.util.List;
import java.util.Map;

/**
 * One call of a Moodle web-service function: its name and parameters (Moodle's bracket form is made from them by
 * {@link MoodleForm}). What travels to the route call-moodle.
 */
public record MoodleCall(String function, Map<String, Object> parameters) {

    /** Who we are on the site: the probe and the health check ask it. Reads nothing else, writes nothing. */
    public static final MoodleCall SITE_INFO = new MoodleCall("core_webservice_get_site_info", Map.of());

    public MoodleCall {
        parameters = parameters == null ? Map.of() : parameters;
    }

    /** Whether the function may change Moodle: Moodle's read functions are all named *_get_*. */
    public boolean writes() {
        return function == null || !function.contains("_get_");
    }

    /**
     * The parameters sent for each record, in the order of the records: the one list parameter of a batched call
     * ({@code courses}, {@code users}, {@code enrolments}); null for a call that is not one entry per record.
     */
    public Map.Entry<String, List<?>> perRecord() {
        for (Map.Entry<String, Object> parameter : parameters.entrySet()) {
            if (parameter.getValue() instanceof List<?> list) {
                return Map.entry(parameter.getKey(), list);
            }
        }
        return null;
    }
}
