package org.apitmoodle.emulator;

import java.util.List;
import java.util.Map;

/** Typed reading of a validated single structure (the function's parameters, or one course, user, enrolment). */
final class Params {

    private final Map<String, Object> values;

    Params(Map<String, Object> values) {
        this.values = values;
    }

    boolean has(String key) {
        return values.get(key) != null;
    }

    String string(String key) {
        return (String) values.get(key);
    }

    long longValue(String key) {
        return (Long) values.get(key);
    }

    Long optionalLong(String key) {
        return (Long) values.get(key);
    }

    boolean bool(String key) {
        return Boolean.TRUE.equals(values.get(key));
    }

    @SuppressWarnings("unchecked")
    List<Params> structures(String key) {
        return ((List<Object>) values.getOrDefault(key, List.of())).stream()
                .map(v -> new Params((Map<String, Object>) v)).toList();
    }

    /** A list of values as validated (Long for PARAM_INT, String for text). */
    @SuppressWarnings("unchecked")
    List<Object> list(String key) {
        return (List<Object>) values.getOrDefault(key, List.of());
    }

    @SuppressWarnings("unchecked")
    List<String> strings(String key) {
        return ((List<Object>) values.getOrDefault(key, List.of())).stream().map(String.class::cast).toList();
    }
}
