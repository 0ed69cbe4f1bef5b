-- Discards one OPEN entry with the operator's reason. The record's claim stays FAILED, so it is never sent again
-- unless someone changes that. Returns nothing when the entry is unknown or not OPEN.
UPDATE dead_letter SET state = 'DISCARDED', discard_reason = :#reason
WHERE id = :#id AND state = 'OPEN'
RETURNING id, entity_type, entity_id, state, discard_reason
