-- Puts a record that could not be synced into the dead-letter queue (or counts more failures on its open
-- entry), and marks its claim FAILED so polls leave it alone until an operator replays it. A record already DONE
-- (Moodle took it, e.g. through another instance's call) is left as it is: no entry, and DONE is never overwritten.
-- attempts: every attempt made for this failure (the first and each redelivery).
WITH entry AS (
    INSERT INTO dead_letter (entity_type, entity_id, moodle_function, moodle_params,
                             error_class, error_code, error_message, attempts)
    SELECT :#entity_type, :#entity_id, :#moodle_function, CAST(:#moodle_params AS jsonb),
           :#error_class, :#error_code, :#error_message, CAST(:#attempts AS integer)
    WHERE NOT EXISTS (SELECT 1 FROM sync_state s
                      WHERE s.entity_type = :#entity_type AND s.entity_id = :#entity_id AND s.state = 'DONE')
    ON CONFLICT (entity_type, entity_id) WHERE state = 'OPEN' DO UPDATE
        SET moodle_function = EXCLUDED.moodle_function, moodle_params = EXCLUDED.moodle_params,
            error_class = EXCLUDED.error_class, error_code = EXCLUDED.error_code,
            error_message = EXCLUDED.error_message,
            attempts = dead_letter.attempts + EXCLUDED.attempts, last_failed_at = now()
    RETURNING entity_type, entity_id
)
INSERT INTO sync_state (entity_type, entity_id, state, attempts)
SELECT entity_type, entity_id, 'FAILED', 1 FROM entry
ON CONFLICT (entity_type, entity_id) DO UPDATE
    SET state = 'FAILED', lease_until = NULL, updated_at = now()
    WHERE sync_state.state <> 'DONE'
