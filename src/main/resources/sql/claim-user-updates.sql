-- Claims a page of the users whose changed Moodle fields wait to be sent (waiting/user-update.sql: the view
-- waiting_user_update) for this instance, and returns what accessplanit holds now and what Moodle was last sent.
WITH waiting AS (
    SELECT u.id
    FROM waiting_user_update w
    JOIN users u ON u.id = w.id
    -- Not held by a live claim (the view live_claim: its instance's heartbeat is fresh, see WaitingViews).
    WHERE NOT EXISTS (SELECT 1 FROM live_claim l WHERE l.entity_type = 'user-update' AND l.entity_id = u.id)
    ORDER BY u.id
    LIMIT CAST(:#${properties:sync.page-size} AS integer)
    FOR UPDATE OF u SKIP LOCKED
), claimed AS (
    -- Claimed for this instance by the one rule, claim-records.sql (DONE taken again: it waits again).
    SELECT claimed_id AS entity_id, claims AS attempts
    FROM claim_records('user-update', ARRAY(SELECT id FROM waiting), :#${bean:claims?method=instance},
                       CAST(:#${properties:sync.claim-lease} AS interval), true)
)
-- The user's Moodle fields now (fields/user.sql, the view user_fields), and what Moodle was last sent.
SELECT f.*,
       u.moodle_id AS moodle_id,
       p.fields    AS sent_fields
FROM claimed
JOIN users u ON u.id = claimed.entity_id
JOIN user_fields f ON f.user_id = u.id
JOIN user_sent p ON p.user_id = u.id
ORDER BY u.id
