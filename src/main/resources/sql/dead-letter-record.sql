-- Puts a record that could not be synced into the dead-letter queue (or counts another failure on its open
-- entry), and marks its claim FAILED so polls leave it alone until an operator replays it.
WITH entry AS (
    INSERT INTO dead_letter (entity_type, entity_id, moodle_function, moodle_params,
                             error_class, error_code, error_message)
    VALUES (:#entity_type, :#entity_id, :#moodle_function, CAST(:#moodle_params AS jsonb),
            :#error_class, :#error_code, :#error_message)
    ON CONFLICT (entity_type, entity_id) WHERE state = 'OPEN' DO UPDATE
        SET moodle_function = EXCLUDED.moodle_function, moodle_params = EXCLUDED.moodle_params,
            error_class = EXCLUDED.error_class, error_code = EXCLUDED.error_code,
            error_message = EXCLUDED.error_message,
            attempts = dead_letter.attempts + 1, last_failed_at = now()
    RETURNING entity_type, entity_id
)
INSERT INTO sync_state (entity_type, entity_id, state, attempts)
SELECT entity_type, entity_id, 'FAILED', 1 FROM entry
ON CONFLICT (entity_type, entity_id) DO UPDATE
    SET state = 'FAILED', lease_until = NULL, updated_at = now()
