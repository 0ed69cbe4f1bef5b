-- Notes the Moodle fields Moodle took for a user (those of the claim, not re-read: a change made while the call was
-- in flight differs from them and is sent by the next poll), and marks the claim done.
WITH noted AS (
    UPDATE user_sent
    SET fields = CAST(:#sent_fields AS jsonb), sent_at = now()
    WHERE user_id = CAST(:#user_id AS bigint)
    RETURNING user_id
)
UPDATE sync_state
SET state = 'DONE', lease_until = NULL, updated_at = now()
WHERE entity_type = 'user-update' AND entity_id = CAST(:#user_id AS bigint) AND state = 'IN_PROGRESS'
