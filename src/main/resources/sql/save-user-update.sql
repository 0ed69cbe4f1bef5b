-- Notes the names and email Moodle took for a user (those that were sent, not re-read: a change made while the
-- call was in flight differs from them and is sent by the next poll), and marks the claim done.
WITH noted AS (
    UPDATE user_sent
    SET firstname = CAST(:#forenames AS text), lastname = CAST(:#surname AS text), email = CAST(:#email AS text),
        sent_at = now()
    WHERE user_id = CAST(:#user_id AS bigint)
    RETURNING user_id
)
UPDATE sync_state
SET state = 'DONE', lease_until = NULL, updated_at = now()
WHERE entity_type = 'user-update' AND entity_id = CAST(:#user_id AS bigint) AND state = 'IN_PROGRESS'
