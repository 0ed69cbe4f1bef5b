-- Writes the Moodle id of a user Moodle created back to accessplanit, and marks the claim done.
WITH saved AS (
    UPDATE users SET moodle_id = :#moodle_id
    WHERE id = :#user_id AND moodle_id IS NULL
    RETURNING id
)
UPDATE sync_state
SET state = 'DONE', moodle_id = :#moodle_id, lease_until = NULL, updated_at = now()
WHERE entity_type = 'user' AND entity_id = :#user_id
