package org.apitmoodle.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The integration's claim rows (sync_state) of the records in a batch, as the claim SQL files take them. */
public final class Claims {

    /** The column of each entity's claim rows that holds its accessplanit id. */
    static final Map<String, String> ID_COLUMN = Map.of(
            "course", "course_id", "user", "user_id", "enrolment", "delegate_id",
            "grades", "delegate_id", "course-dates", "course_id");

    /** One row of entity_type and entity_id per record of the batch. */
    public List<Map<String, Object>> of(String entityType, List<Map<String, Object>> batch) {
        List<Map<String, Object>> claims = new ArrayList<>();
        for (Map<String, Object> record : batch) {
            claims.add(Map.of("entity_type", entityType, "entity_id", entityId(entityType, record)));
        }
        return claims;
    }

    static long entityId(String entityType, Map<String, Object> record) {
        String idColumn = ID_COLUMN.get(entityType);
        if (idColumn == null) {
            throw new IllegalArgumentException("Unknown entity type " + entityType);
        }
        return Records.id(record, idColumn);
    }
}
