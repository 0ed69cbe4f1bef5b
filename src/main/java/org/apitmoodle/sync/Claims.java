package org.apitmoodle.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The integration's claim rows (sync_state) of the records in a batch, as the claim SQL files take them. */
public final class Claims {

    private final String instance;

    /** {@code instance}: the name this instance claims under (sync.instance-id, or its host and process). */
    public Claims(String instance) {
        this.instance = instance;
    }

    /** Whose claims: what the claim and heartbeat SQL files note in sync_state.claimed_by and sync_instance. */
    public String instance() {
        return instance;
    }

    /** One row of entity_type and entity_id per record of the batch. */
    public List<Map<String, Object>> of(Batch batch) {
        List<Map<String, Object>> claims = new ArrayList<>();
        for (Long id : batch.getIds()) {
            claims.add(Map.of("entity_type", batch.getOperation().key(), "entity_id", id));
        }
        return claims;
    }
}
