-- Discards every OPEN entry of one entity type and one error code with the operator's reason, in one statement,
-- as discard.sql does for one: the records' claims stay FAILED, so they are never sent again. through, when given,
-- is the newest entry the operator saw: one that failed after the page was shown is left OPEN.
WITH discarded AS (
    UPDATE dead_letter SET state = 'DISCARDED', discard_reason = :#reason
    WHERE state = 'OPEN'
      AND entity_type = :#entity_type
      AND error_code = :#error_code
      AND (CAST(:#through AS bigint) IS NULL OR id <= CAST(:#through AS bigint))
    RETURNING id, entity_type, entity_id, state, discard_reason
)
SELECT id, entity_type, entity_id, state, discard_reason FROM discarded ORDER BY id
