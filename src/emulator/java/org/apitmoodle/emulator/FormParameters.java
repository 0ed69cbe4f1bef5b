package org.apitmoodle.emulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads form fields the way PHP fills $_GET and $_POST: {@code users[0][username]=x} becomes nested arrays
 * (here LinkedHashMaps keyed by string, in the order the keys first appeared), {@code values[]=x} appends.
 */
final class FormParameters {

    /**
     * PHP's max_input_vars at the value Moodle 4.x asks sites for (PHP's own default is 1000). PHP silently drops the
     * fields past it, so a batch too big for one request loses its tail (transcripts 274-278).
     */
    static final int MAX_INPUT_VARS = 5000;

    private FormParameters() {
    }

    /** The fields of an application/x-www-form-urlencoded string (a body or a query string), in order. */
    static List<Map.Entry<String, String>> decode(String urlencoded) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        if (urlencoded == null || urlencoded.isEmpty()) {
            return fields;
        }
        for (String pair : urlencoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            fields.add(new SimpleImmutableEntry<>(URLDecoder.decode(name, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8)));
        }
        return fields;
    }

    /** Builds PHP's array from the fields: values are Strings or nested {@code Map<String, Object>}s. */
    static Map<String, Object> toPhpArray(List<Map.Entry<String, String>> fields) {
        return toPhpArray(fields, MAX_INPUT_VARS);
    }

    /**
     * The same with PHP's max_input_vars at {@code maxInputVars}: PHP keeps one field more than the setting (the
     * recording site kept 1,001 of 1,053 at 1000, transcript 274) and drops the rest without an error.
     */
    static Map<String, Object> toPhpArray(List<Map.Entry<String, String>> fields, int maxInputVars) {
        Map<String, Object> root = new LinkedHashMap<>();
        fields.stream().limit(maxInputVars + 1L).forEach(field -> register(root, field.getKey(), field.getValue()));
        return root;
    }

    /** php_register_variable_ex: a base name, then [key] or [] segments; anything after a malformed segment is lost. */
    @SuppressWarnings("unchecked")
    private static void register(Map<String, Object> root, String name, String value) {
        String trimmed = name.stripLeading();
        int open = trimmed.indexOf('[');
        if (open >= 0 && trimmed.indexOf(']', open) < 0) {
            open = -1; // An unclosed first bracket is part of the name, which PHP then mangles like the rest.
        }
        String base = (open < 0 ? trimmed : trimmed.substring(0, open)).replace(' ', '_').replace('.', '_')
                .replace('[', '_');
        if (base.isEmpty()) {
            return;
        }
        List<String> keys = new ArrayList<>();
        keys.add(base);
        int i = open;
        while (i >= 0 && i < trimmed.length() && trimmed.charAt(i) == '[') {
            int close = trimmed.indexOf(']', i);
            if (close < 0) {
                break;
            }
            keys.add(trimmed.substring(i + 1, close));
            i = close + 1;
        }
        Map<String, Object> array = root;
        for (int k = 0; k < keys.size() - 1; k++) {
            String key = keys.get(k).isEmpty() ? nextIndex(array) : keys.get(k);
            Object child = array.get(key);
            if (!(child instanceof Map)) {
                child = new LinkedHashMap<String, Object>();
                array.put(key, child);
            }
            array = (Map<String, Object>) child;
        }
        String last = keys.get(keys.size() - 1);
        array.put(last.isEmpty() ? nextIndex(array) : last, value);
    }

    /** The key PHP gives to {@code []}: one past the largest integer key so far, or 0. */
    private static String nextIndex(Map<String, Object> array) {
        long next = 0;
        for (String key : array.keySet()) {
            if (key.matches("-?\\d{1,18}")) {
                next = Math.max(next, Long.parseLong(key) + 1);
            }
        }
        return Long.toString(next);
    }
}
