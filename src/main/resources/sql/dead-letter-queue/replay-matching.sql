-- Replays every OPEN entry of one entity type and one error code when given, as replay-one.sql does for one:
-- in one statement, the entries become REPLAYED and their records' FAILED claims are removed from sync_state.
-- through, when given, is the newest entry the operator saw: one that failed after the page was shown is left OPEN.
WITH replayed AS (
    UPDATE dead_letter SET state = 'REPLAYED'
    WHERE state = 'OPEN'
      AND (CAST(:#entity_type AS text) IS NULL OR entity_type = :#entity_type)
      AND (CAST(:#error_code AS text) IS NULL OR error_code = :#error_code)
      AND (CAST(:#through AS bigint) IS NULL OR id <= CAST(:#through AS bigint))
    RETURNING id, entity_type, entity_id, state
), released AS (
    DELETE FROM sync_state s
    USING replayed r
    WHERE s.entity_type = r.entity_type AND s.entity_id = r.entity_id AND s.state = 'FAILED'
)
SELECT id, entity_type, entity_id, state FROM replayed ORDER BY id
