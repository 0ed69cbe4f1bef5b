-- Writes the Moodle id of a user Moodle created back to accessplanit, notes the Moodle fields it was sent
-- (user_sent: only later changes are sent with core_user_update_users), and marks the claim done.
WITH saved AS (
    UPDATE users SET moodle_id = :#moodle_id
    WHERE id = :#user_id AND moodle_id IS NULL
    RETURNING id
), noted AS (
    INSERT INTO user_sent (user_id, fields)
    VALUES (:#user_id, CAST(:#sent_fields AS jsonb))
    ON CONFLICT (user_id) DO NOTHING
)
UPDATE sync_state
SET state = 'DONE', moodle_id = :#moodle_id, lease_until = NULL, updated_at = now()
WHERE entity_type = 'user' AND entity_id = :#user_id
