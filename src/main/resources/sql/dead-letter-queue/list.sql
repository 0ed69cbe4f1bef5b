-- Dead-letter entries in one state, of one entity type and one error code when given, oldest first.
-- At most dead-letters.list-limit of them, so a huge queue cannot exhaust memory.
SELECT id, entity_type, entity_id, moodle_function, CAST(moodle_params AS text) AS moodle_params,
       error_class, error_code, error_message, attempts, first_failed_at, last_failed_at, state, discard_reason
FROM dead_letter
WHERE state = :#state
  AND (CAST(:#entity_type AS text) IS NULL OR entity_type = :#entity_type)
  AND (CAST(:#error_code AS text) IS NULL OR error_code = :#error_code)
ORDER BY id
LIMIT CAST(:#${properties:dead-letters.list-limit} AS integer)
