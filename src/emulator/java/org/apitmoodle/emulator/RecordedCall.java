package org.apitmoodle.emulator;

import java.util.List;
import java.util.Map;

/**
 * One request the emulator received: its wsfunction ("" when none was sent) and its form fields in the order
 * they were sent, wstoken removed.
 */
public record RecordedCall(String wsfunction, List<Map.Entry<String, String>> params) {

    public RecordedCall {
        params = List.copyOf(params);
    }

    /** The first value sent under this exact field name, e.g. {@code "users[0][username]"}, or null. */
    public String param(String name) {
        return params.stream().filter(p -> p.getKey().equals(name)).map(Map.Entry::getValue).findFirst().orElse(null);
    }
}
