-- Puts the records of a batch that could not be synced into the dead-letter queue (or counts more failures on
-- their open entries), and marks their claims FAILED so polls leave them alone until an operator replays them. A
-- record already DONE (Moodle took it, e.g. through another instance's call) is left as it is: no entry, and DONE is
-- never overwritten. Answers the records dead-lettered, so the log line and the metric count exactly those.
-- :#entries is a JSON array, one object per record (DeadLetters.entries).
-- attempts: every attempt made for this failure (the first and each redelivery).
WITH failed AS (
    SELECT * FROM jsonb_to_recordset(CAST(:#entries AS jsonb)) AS f(
        entity_type text, entity_id bigint, moodle_function text, moodle_params jsonb,
        error_class text, error_code text, error_message text, attempts integer)
), entry AS (
    INSERT INTO dead_letter (entity_type, entity_id, moodle_function, moodle_params,
                             error_class, error_code, error_message, attempts)
    SELECT f.entity_type, f.entity_id, f.moodle_function, f.moodle_params,
           f.error_class, f.error_code, f.error_message, f.attempts
    FROM failed f
    WHERE NOT EXISTS (SELECT 1 FROM sync_state s
                      WHERE s.entity_type = f.entity_type AND s.entity_id = f.entity_id AND s.state = 'DONE')
    ON CONFLICT (entity_type, entity_id) WHERE state = 'OPEN' DO UPDATE
        SET moodle_function = EXCLUDED.moodle_function, moodle_params = EXCLUDED.moodle_params,
            error_class = EXCLUDED.error_class, error_code = EXCLUDED.error_code,
            error_message = EXCLUDED.error_message,
            attempts = dead_letter.attempts + EXCLUDED.attempts, last_failed_at = now()
    RETURNING entity_type, entity_id
), claim AS (
    INSERT INTO sync_state (entity_type, entity_id, state, attempts)
    SELECT entity_type, entity_id, 'FAILED', 1 FROM entry
    ON CONFLICT (entity_type, entity_id) DO UPDATE
        SET state = 'FAILED', lease_until = NULL, updated_at = now()
        WHERE sync_state.state <> 'DONE'
    RETURNING entity_id
)
SELECT entity_id FROM entry ORDER BY entity_id
