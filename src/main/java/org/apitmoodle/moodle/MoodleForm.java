package org.apitmoodle.moodle;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Encodes a Moodle web-service call as the form Moodle's REST server reads: wstoken, wsfunction,
 * moodlewsrestformat=json, then the function's parameters in Moodle's bracket form
 * ({@code users[0][username]=...}, {@code values[0]=...}).
 */
public final class MoodleForm {

    /** The fields of every call beside its parameters: wstoken, wsfunction, moodlewsrestformat. */
    public static final int CALL_FIELDS = 3;

    private final String token;

    public MoodleForm(String token) {
        this.token = token;
    }

    /** The whole request body for one call. */
    public String encode(MoodleCall call) {
        return encode(call.function(), call.parameters());
    }

    /** The whole request body for one call of {@code function} with {@code parameters}. */
    public String encode(String function, Map<String, ?> parameters) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        fields.add(Map.entry("wstoken", token));
        fields.add(Map.entry("wsfunction", function));
        // Without it Moodle answers XML, even for errors.
        fields.add(Map.entry("moodlewsrestformat", "json"));
        fields.addAll(fields(parameters));
        StringBuilder body = new StringBuilder();
        for (Map.Entry<String, String> field : fields) {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8));
        }
        return body.toString();
    }

    /** The parameters (none when null) flattened to bracket-form fields, in order. Null values are left out, as Moodle wants. */
    public static List<Map.Entry<String, String>> fields(Map<String, ?> parameters) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        if (parameters != null) {
            parameters.forEach((name, value) -> flatten(name, value, fields));
        }
        return fields;
    }

    private static void flatten(String name, Object value, List<Map.Entry<String, String>> fields) {
        if (value == null) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> flatten(name + "[" + key + "]", item, fields));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                flatten(name + "[" + i + "]", list.get(i), fields);
            }
        } else if (value instanceof Boolean bool) {
            fields.add(Map.entry(name, bool ? "1" : "0"));
        } else {
            fields.add(Map.entry(name, value.toString()));
        }
    }
}
