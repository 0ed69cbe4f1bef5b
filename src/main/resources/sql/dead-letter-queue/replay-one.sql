-- Replays one OPEN entry, in one statement: the entry becomes REPLAYED and the record's FAILED claim is removed
-- from sync_state, so the next poll claims the record afresh and reads its current accessplanit row (an email
-- fixed in accessplanit is what gets sent). Returns nothing when the entry is unknown or not OPEN.
WITH replayed AS (
    UPDATE dead_letter SET state = 'REPLAYED'
    WHERE id = :#id AND state = 'OPEN'
    RETURNING id, entity_type, entity_id, state
), released AS (
    DELETE FROM sync_state s
    USING replayed r
    WHERE s.entity_type = r.entity_type AND s.entity_id = r.entity_id AND s.state = 'FAILED'
)
SELECT id, entity_type, entity_id, state FROM replayed
