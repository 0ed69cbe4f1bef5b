package org.apitmoodle.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Moodle's description of web-service parameters (external_value, external_single_structure,
 * external_multiple_structure) and external_api::validate_parameters(): a missing required key, an unexpected key or
 * a value that its PARAM type would change all fail with invalidparameter.
 */
sealed interface ExternalDescription {

    /** VALUE_REQUIRED, VALUE_OPTIONAL (left out when absent) or VALUE_DEFAULT (filled in when absent). */
    enum Presence { REQUIRED, OPTIONAL, DEFAULT }

    Presence presence();

    /** The value used for an absent VALUE_DEFAULT key. */
    Object defaultValue();

    /**
     * Checks raw PHP-array input against this description. Returns Strings (Long for PARAM_INT, Boolean for
     * PARAM_BOOL), {@code Map<String, Object>} for single structures and {@code List<Object>} for multiple ones.
     */
    Object validate(Object input);

    record Value(Param type, Presence presence, Object defaultValue) implements ExternalDescription {

        @Override
        public Object validate(Object input) {
            if (!(input instanceof String value)) {
                throw MoodleException.invalidParameter("Scalar type expected, array or object received.");
            }
            if (type == Param.BOOL && (value.equals("0") || value.equals("1"))) {
                return value.equals("1"); // Moodle accepts 0/1 for booleans before cleaning anything else.
            }
            String cleaned = type.clean(value);
            if (!cleaned.equals(value)) {
                throw MoodleException.invalidParameter("Invalid external api parameter: the value is \"" + value
                        + "\", the server was expecting \"" + type.moodleName + "\" type");
            }
            return type == Param.INT ? (Object) Long.parseLong(cleaned) : cleaned;
        }
    }

    record Single(Map<String, ExternalDescription> keys, Presence presence, Object defaultValue)
            implements ExternalDescription {

        @Override
        public Map<String, Object> validate(Object input) {
            if (!(input instanceof Map<?, ?> given)) {
                throw MoodleException.invalidParameter("Only arrays accepted. The bad value is: '" + input + "'");
            }
            Map<String, Object> remaining = new LinkedHashMap<>();
            given.forEach((k, v) -> remaining.put((String) k, v));
            Map<String, Object> result = new LinkedHashMap<>();
            for (Map.Entry<String, ExternalDescription> key : keys.entrySet()) {
                ExternalDescription description = key.getValue();
                if (!remaining.containsKey(key.getKey())) {
                    switch (description.presence()) {
                        case REQUIRED -> throw MoodleException.invalidParameter(
                                "Missing required key in single structure: " + key.getKey());
                        case DEFAULT -> result.put(key.getKey(), description.defaultValue());
                        case OPTIONAL -> { }
                    }
                    continue;
                }
                try {
                    result.put(key.getKey(), description.validate(remaining.remove(key.getKey())));
                } catch (MoodleException e) {
                    throw MoodleException.invalidParameter(key.getKey() + " => " + e.getMessage() + ": "
                            + e.debuginfo());
                }
            }
            if (!remaining.isEmpty()) {
                throw MoodleException.invalidParameter("Unexpected keys (" + String.join(", ", remaining.keySet())
                        + ") detected in parameter array.");
            }
            return result;
        }
    }

    record Multiple(ExternalDescription content, Presence presence, Object defaultValue)
            implements ExternalDescription {

        @Override
        public List<Object> validate(Object input) {
            if (!(input instanceof Map<?, ?> given)) {
                throw MoodleException.invalidParameter("Only arrays accepted. The bad value is: '" + input + "'");
            }
            List<Object> result = new ArrayList<>();
            for (Object element : given.values()) {
                result.add(content.validate(element));
            }
            return result;
        }
    }

    static Value value(Param type) {
        return new Value(type, Presence.REQUIRED, null);
    }

    static Value optional(Param type) {
        return new Value(type, Presence.OPTIONAL, null);
    }

    static Value withDefault(Param type, Object defaultValue) {
        return new Value(type, Presence.DEFAULT, defaultValue);
    }

    /** A structure whose keys are given as name, description, name, description... */
    static Single single(Object... namesAndDescriptions) {
        return new Single(keys(namesAndDescriptions), Presence.REQUIRED, null);
    }

    static Multiple multiple(ExternalDescription content) {
        return new Multiple(content, Presence.REQUIRED, null);
    }

    static Multiple optionalMultiple(ExternalDescription content) {
        return new Multiple(content, Presence.OPTIONAL, null);
    }

    static Multiple multipleWithDefault(ExternalDescription content, List<Object> defaultValue) {
        return new Multiple(content, Presence.DEFAULT, defaultValue);
    }

    private static Map<String, ExternalDescription> keys(Object... namesAndDescriptions) {
        Map<String, ExternalDescription> keys = new LinkedHashMap<>();
        for (int i = 0; i < namesAndDescriptions.length; i += 2) {
            keys.put((String) namesAndDescriptions[i], (ExternalDescription) namesAndDescriptions[i + 1]);
        }
        return keys;
    }
}
